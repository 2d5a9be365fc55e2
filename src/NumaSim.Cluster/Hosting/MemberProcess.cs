using System.Diagnostics;
using Akka.Actor;
using NumaSim.Cluster.Security;
using NumaSim.Cluster.Serialization;

namespace NumaSim.Cluster.Hosting;

/// <summary>`numasim member`: one cluster member, until the coordinator ends the run or goes away.</summary>
public static class MemberProcess
{
    public static async Task<int> RunAsync(ClusterSettings settings, TextWriter error, CancellationToken cancel)
    {
        var joining = Stopwatch.StartNew();
        while (true)
        {
            var peers = new PeerCertificates();
            var left = settings.JoinTimeout - joining.Elapsed;
            var system = ClusterConfig.CreateSystem(settings with { JoinTimeout = left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1) }, peers);
            var (asked, code, message, joined) = await RunOnceAsync(system, joining, cancel).ConfigureAwait(false);
            if (asked)
            {
                // The run ended it, the coordinator went away, or Ctrl-C: its own line, if any.
                if (message is not null)
                {
                    await error.WriteLineAsync(message).ConfigureAwait(false);
                }
                return code;
            }
            // Akka ends the whole system when one outgoing TLS handshake fails, however it failed. A connection closed
            // during its handshake (a busy seed) is no reason for a member with the cluster's certificate to give up
            // its join: it starts a new system and tries again until its join timeout.
            if (!joined && TlsHandshakeFailed(system) && !peers.ForeignServer && joining.Elapsed < settings.JoinTimeout && !cancel.IsCancellationRequested)
            {
                continue;
            }
            await error.WriteLineAsync(joined
                ? "numasim member: the cluster shut this member down"
                : $"numasim member: could not join the cluster at {string.Join(",", settings.SeedNodes)} within {settings.JoinTimeout.TotalSeconds:0} s"
                    + (peers.ForeignServer
                        ? ": the TLS handshake failed (this member's certificate is not the cluster's)"
                        : RunLogger.LastProblem is { } why ? ": " + Short(why) : "")).ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>One actor system's try: whether the member was told to exit (with its code and line), and whether it got in.</summary>
    private static async Task<(bool Asked, int Code, string? Message, bool Joined)> RunOnceAsync(ActorSystem system, Stopwatch joining, CancellationToken cancel)
    {
        var exit = new TaskCompletionSource<(int Code, string? Message)>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The serializer warms while the member joins: both take a few hundred milliseconds, and the first run waits for neither then.
        var warming = SerializerWarmup.Start(system);
        _ = warming.ContinueWith(t => ClusterRun.Trace(joining, $"serializer warmed in {t.Result.Elapsed.TotalMilliseconds:F0} ms"), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        system.ActorOf(MemberActor.Props((code, message) => exit.TrySetResult((code, message)), warming), "member");
        var cluster = Akka.Cluster.Cluster.Get(system);
        var joined = false;
        // Until it is in, a member says nothing but why it could not get in (RunLogger.LastProblem).
        RunLogger.Quiet = true;
        cluster.RegisterOnMemberUp(() =>
        {
            joined = true;
            RunLogger.Quiet = false;
            ClusterRun.Trace(joining, "up as " + cluster.SelfAddress);
        });
        using var registration = cancel.Register(() => exit.TrySetResult((0, null)));
        await Task.WhenAny(exit.Task, system.WhenTerminated).ConfigureAwait(false);
        await Leave(system, cluster).ConfigureAwait(false);
        return exit.Task.IsCompleted ? (true, exit.Task.Result.Code, exit.Task.Result.Message, joined) : (false, 1, null, joined);
    }

    /// <summary>Whether Akka ended the system because an outgoing TLS handshake failed (its TlsHandshakeFailureReason).</summary>
    private static bool TlsHandshakeFailed(ActorSystem system) =>
        CoordinatedShutdown.Get(system).ShutdownReason?.GetType().Name == "TlsHandshakeFailureReason";

    /// <summary>Akka's reason without the inner exceptions and stack it carries; a failed handshake said plainly.</summary>
    private static string Short(string why)
    {
        if (why.Contains("TLS handshake failed", StringComparison.Ordinal))
        {
            return "the TLS handshake with the cluster failed (its connection closed before it completed)";
        }
        var end = why.IndexOf(" ---> ", StringComparison.Ordinal);
        var text = end > 0 ? why[..end] : why;
        return text.Length <= 300 ? text : text[..300] + "...";
    }

    private static async Task Leave(ActorSystem system, Akka.Cluster.Cluster cluster)
    {
        if (!system.WhenTerminated.IsCompleted)
        {
            RunLogger.Quiet = true;
            // Leave politely when the cluster can hear it (a leave needs every member reachable);
            // never wait long: the coordinator gives members a few seconds before it kills them.
            if (cluster.State.Unreachable.Count == 0)
            {
                await Task.WhenAny(cluster.LeaveAsync(), Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
            }
            await Task.WhenAny(system.Terminate(), Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        }
    }
}

using Akka.Actor;

namespace NumaSim.Cluster.Hosting;

/// <summary>`numasim member`: one cluster member, until the coordinator ends the run or goes away.</summary>
public static class MemberProcess
{
    public static async Task<int> RunAsync(ClusterSettings settings, TextWriter error, CancellationToken cancel)
    {
        var system = ClusterConfig.CreateSystem(settings);
        var exit = new TaskCompletionSource<(int Code, string? Message)>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(MemberActor.Props((code, message) => exit.TrySetResult((code, message))), "member");
        var cluster = Akka.Cluster.Cluster.Get(system);
        var joined = false;
        // Until it is in, a member says nothing but why it could not get in (RunLogger.LastProblem).
        RunLogger.Quiet = true;
        cluster.RegisterOnMemberUp(() =>
        {
            joined = true;
            RunLogger.Quiet = false;
        });
        using var registration = cancel.Register(() => exit.TrySetResult((0, null)));
        await Task.WhenAny(exit.Task, system.WhenTerminated).ConfigureAwait(false);
        var (code, message) = exit.Task.IsCompleted
            ? exit.Task.Result
            : joined
                ? (1, "numasim member: the cluster shut this member down")
                : (1, $"numasim member: could not join the cluster at {string.Join(",", settings.SeedNodes)} within {settings.JoinTimeout.TotalSeconds:0} s"
                    + (RunLogger.LastProblem is { } why ? ": " + Short(why) : ""));
        if (message is not null)
        {
            await error.WriteLineAsync(message).ConfigureAwait(false);
        }
        await Leave(system, cluster).ConfigureAwait(false);
        return code;
    }

    /// <summary>Akka's reason without the inner exceptions and stack it carries; a refused handshake said plainly.</summary>
    private static string Short(string why)
    {
        if (why.Contains("TLS handshake failed", StringComparison.Ordinal))
        {
            return "the TLS handshake failed (this member's certificate is not the cluster's)";
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

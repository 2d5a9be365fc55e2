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
        cluster.RegisterOnMemberUp(() => joined = true);
        using var registration = cancel.Register(() => exit.TrySetResult((0, null)));
        await Task.WhenAny(exit.Task, system.WhenTerminated).ConfigureAwait(false);
        var (code, message) = exit.Task.IsCompleted
            ? exit.Task.Result
            : joined
                ? (1, "numasim member: the cluster shut this member down")
                : (1, $"numasim member: could not join the cluster at {string.Join(",", settings.SeedNodes)} within {settings.JoinTimeout.TotalSeconds:0} s");
        if (message is not null)
        {
            await error.WriteLineAsync(message).ConfigureAwait(false);
        }
        await Leave(system, cluster).ConfigureAwait(false);
        return code;
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

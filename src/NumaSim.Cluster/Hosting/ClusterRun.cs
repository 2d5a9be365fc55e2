using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using NumaSim.Actors.Coordination;
using NumaSim.Cluster.Serialization;
using NumaSim.Model.Snapshots;
using NumaSim.Workloads.Scenarios;
using NumaSim.Results;

namespace NumaSim.Cluster.Hosting;

/// <summary>
/// `numasim run --processes N`: this process becomes the seed and coordinator, starts N-1
/// `numasim member` processes on 127.0.0.1, waits for them to join, places the nodes, runs, and
/// ends every member it started, whatever happens.
/// </summary>
public static class ClusterRun
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(60);

    public static async Task<ClusterRunOutcome> RunAsync(
        Scenario scenario,
        ScenarioSource source,
        int processes,
        TlsSettings? tls,
        TextWriter error,
        Action<SimProgress>? progress,
        CancellationToken cancel,
        SlabinfoFeed? liveSlabs = null,
        CoordinatorEndpoint? endpoint = null,
        RunObservers? observers = null)
    {
        // A placement that does not fit is bad input before any member starts: once members have joined, their
        // teardown can print on standard error too, after the one line the user should see.
        Placement.Plan(scenario, processes);
        return await WithClusterAsync(processes, scenario.Cluster.JoinTimeout, tls, error, cancel, endpoint ?? CoordinatorEndpoint.Loopback,
            (system, up, wall) => RunInClusterAsync(system, up, scenario, source, wall, progress, cancel, liveSlabs, observers)).ConfigureAwait(false);
    }

    /// <summary>
    /// One run on a formed cluster: places the scenario's nodes on <paramref name="up"/> (as
    /// <see cref="WithClusterAsync"/> lists them), runs, and reports a lost member. A cluster may
    /// carry several runs one after another; each member drops the previous run's nodes.
    /// </summary>
    public static async Task<ClusterRunOutcome> RunInClusterAsync(
        ActorSystem system,
        IReadOnlyList<Member> up,
        Scenario scenario,
        ScenarioSource source,
        Stopwatch wall,
        Action<SimProgress>? progress,
        CancellationToken cancel,
        SlabinfoFeed? liveSlabs = null,
        RunObservers? observers = null)
    {
        var plan = Placement.Plan(scenario, up.Count);
        var members = new List<MemberInfo>();
        var nodes = new Dictionary<int, IActorRef>();
        for (var i = 0; i < up.Count; i++)
        {
            var hosted = await Host(system, up[i], new HostNodes(source, plan[i])).ConfigureAwait(false);
            foreach (var (node, actor) in hosted.Nodes)
            {
                nodes[node] = actor;
            }
            members.Add(new MemberInfo(hosted.Pid, hosted.Address, [.. hosted.Nodes.Keys.Order()]));
        }

        Trace(wall, "hosted " + string.Join(" ", members.Select(m => $"{m.Pid}={m.Address}")));
        var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = system.ActorOf(MemberLossWatcher.Props(members, lost));
        try
        {
            // A lost member abandons the run (stop); the caller's cancel stops it at the next round, outputs marked
            // interrupted, so that Ctrl-C still leaves a tree.
            using var stop = new CancellationTokenSource();
            var run = SimulationRunner.RunOnAsync(system, scenario, nodes, members, progress, stop.Token, liveSlabs, observers, cancel);
            if (await Task.WhenAny(run, lost.Task).ConfigureAwait(false) == lost.Task)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                _ = run.ContinueWith(t => t.Exception, TaskScheduler.Default);
                return new ClusterRunOutcome(null, lost.Task.Result, members, wall.Elapsed.TotalSeconds);
            }
            var result = await run.ConfigureAwait(false);
            Trace(wall, "ran");
            return new ClusterRunOutcome(result, null, members, wall.Elapsed.TotalSeconds);
        }
        finally
        {
            system.Stop(watcher);
        }
    }

    /// <summary>
    /// Forms a cluster of this process (seed and coordinator) and N-1 member processes, runs
    /// <paramref name="body"/> with the members Up (this process first), and ends them all.
    /// </summary>
    public static async Task<T> WithClusterAsync<T>(
        int processes, TimeSpan joinTimeout, TlsSettings? tls, TextWriter error, CancellationToken cancel, CoordinatorEndpoint endpoint,
        Func<ActorSystem, IReadOnlyList<Member>, Stopwatch, Task<T>> body)
    {
        var wall = Stopwatch.StartNew();
        var settings = new ClusterSettings(endpoint.Hostname, endpoint.Port, endpoint.SeedNodes, [ClusterSettings.CoordinatorRole, ClusterSettings.MemberRole], tls)
        {
            JoinTimeout = joinTimeout,
            PublicHostname = endpoint.PublicHostname,
        };
        var system = ClusterConfig.CreateSystem(settings);
        var cluster = Akka.Cluster.Cluster.Get(system);
        ChildMembers? children = null;
        try
        {
            if (endpoint.SeedNodes.Count == 0)
            {
                cluster.Join(cluster.SelfAddress);
            }
            var warming = SerializerWarmup.Start(system);
            system.ActorOf(MemberActor.Props(null, warming), "member");
            children = ChildMembers.Start(endpoint.StartMembers ? processes - 1 : 0, [.. MemberArguments(cluster.SelfAddress, joinTimeout, tls), .. endpoint.MemberArguments], tls?.Password, error);
            Trace(wall, $"started {cluster.SelfAddress}");
            var up = await WaitForMembers(cluster, processes, joinTimeout, children, cancel).ConfigureAwait(false);
            Trace(wall, "members up");
            Trace(wall, $"serializer warmed in {(await warming.ConfigureAwait(false)).Elapsed.TotalMilliseconds:F0} ms");
            return await body(system, up, wall).ConfigureAwait(false);
        }
        finally
        {
            await Shutdown(system, cluster, children).ConfigureAwait(false);
            Trace(wall, "shut down");
        }
    }

    /// <summary>A phase of forming the cluster and running on it, with NUMASIM_CLUSTER_TRACE=1 (tests wait for them).</summary>
    internal static void Trace(Stopwatch wall, string what)
    {
        if (Environment.GetEnvironmentVariable("NUMASIM_CLUSTER_TRACE") == "1")
        {
            Console.Error.WriteLine($"numasim: {wall.Elapsed.TotalSeconds:F2} s {what}");
        }
    }

    private static List<string> MemberArguments(Address seed, TimeSpan joinTimeout, TlsSettings? tls)
    {
        List<string> args =
        [
            "--hostname", "127.0.0.1",
            "--port", "0",
            "--seed-nodes", seed.ToString(),
            "--join-timeout", ((int)Math.Ceiling(joinTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
        ];
        if (tls is not null)
        {
            args.AddRange(["--certificate", tls.CertificatePath]);
        }
        return args;
    }

    /// <summary>The members Up, the coordinator first, the others by address: the order placement lists refer to.</summary>
    private static async Task<IReadOnlyList<Member>> WaitForMembers(Akka.Cluster.Cluster cluster, int processes, TimeSpan timeout, ChildMembers children, CancellationToken cancel)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            var up = cluster.State.Members.Where(m => m.Status == MemberStatus.Up && m.HasRole(ClusterSettings.MemberRole)).ToList();
            if (up.Count >= processes && up.Any(m => m.Address == cluster.SelfAddress))
            {
                return [.. up.OrderBy(m => m.Address == cluster.SelfAddress ? 0 : 1).ThenBy(m => m.Address.Host, StringComparer.Ordinal).ThenBy(m => m.Address.Port).Take(processes)];
            }
            var exited = children.Processes.FirstOrDefault(p => p.HasExited);
            if (exited is not null)
            {
                throw new ClusterRunException($"member process {exited.Id} exited with code {exited.ExitCode} before the cluster formed");
            }
            if (deadline.Elapsed > timeout)
            {
                throw new ClusterRunException($"only {up.Count} of {processes} processes joined the cluster at {cluster.SelfAddress} within {timeout.TotalSeconds:0} s (numasim.cluster.join-timeout)");
            }
            // Waiting for real processes to start and join: wall-clock time, not simulated time.
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancel).ConfigureAwait(false);
        }
    }

    private static async Task<NodesHosted> Host(ActorSystem system, Member member, HostNodes request)
    {
        var host = system.ActorSelection(new RootActorPath(member.Address) / "user" / "member");
        var answer = await host.Ask<object>(request, AskTimeout).ConfigureAwait(false);
        return answer switch
        {
            NodesHosted hosted => hosted,
            HostingFailed failed => throw new ClusterRunException($"member {failed.Address} could not host nodes {string.Join(",", request.Nodes)}: {failed.Reason}"),
            _ => throw new ClusterRunException($"member {member.Address} answered {answer.GetType().Name}"),
        };
    }

    private static async Task Shutdown(ActorSystem system, Akka.Cluster.Cluster cluster, ChildMembers? children)
    {
        // The run is decided: connections closing as members leave are expected, not news.
        RunLogger.Quiet = true;
        foreach (var member in cluster.State.Members.Where(m => m.Address != cluster.SelfAddress))
        {
            system.ActorSelection(new RootActorPath(member.Address) / "user" / "member").Tell(EndMember.Instance);
        }
        var wall = Stopwatch.StartNew();
        if (children is not null)
        {
            await children.StopAsync(TimeSpan.FromSeconds(6)).ConfigureAwait(false);
            await children.DisposeAsync().ConfigureAwait(false);
        }
        Trace(wall, "members ended");
        if (cluster.State.Unreachable.Count == 0)
        {
            await Task.WhenAny(cluster.LeaveAsync(), Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        }
        Trace(wall, "left");
        await Task.WhenAny(system.Terminate(), Task.Delay(TimeSpan.FromSeconds(3))).ConfigureAwait(false);
    }
}

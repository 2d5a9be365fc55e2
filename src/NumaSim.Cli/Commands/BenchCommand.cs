using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using NumaSim.Actors.Coordination;
using NumaSim.Cluster.Bench;
using NumaSim.Cluster.Hosting;
using NumaSim.Cluster.Security;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Config;
using NumaSim.Workloads.Scenarios;
using NumaSim.Replay;

namespace NumaSim.Cli.Commands;

/// <summary>`numasim bench`: throughput figures as JSON on standard output.</summary>
public static class BenchCommand
{
    private const int Operations = 2_000_000;

    /// <summary>The figures by group, in the order a full bench measures them.</summary>
    private static readonly (string Name, Func<SortedDictionary<string, double>, CancellationToken, Task> Measure)[] Groups =
    [
        ("allocator", (f, _) => Allocator(f)),
        ("replay", (f, cancel) => Replay(f, cancel)),
        ("throughput", Throughput),
        ("telemetry", Telemetry),
        ("cluster", ClusterFigures),
        ("faults", Faults),
        ("scale", ScaleBench.MeasureAsync),
    ];

    public static Command Create()
    {
        var only = new Option<string[]>("--only")
        {
            Description = "Measure only these groups: " + string.Join(", ", Groups.Select(g => g.Name)) + " (default: all)",
            HelpName = "GROUP",
            AllowMultipleArgumentsPerToken = true,
        };
        only.AcceptOnlyFromAmong([.. Groups.Select(g => g.Name)]);
        var command = new Command("bench", "Measure the page allocator model, trace replay, the simulator's operations/s on 1 and 2 processes "
            + "against bare Akka.NET message rates, telemetry's cost and demand faults; print the figures as JSON.");
        command.Options.Add(only);
        command.SetAction(Interruption.Handle(async (parse, cancel) =>
        {
            var chosen = parse.GetValue(only) is { Length: > 0 } names ? names.ToHashSet(StringComparer.Ordinal) : null;
            var figures = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (var (name, measure) in Groups.Where(g => chosen is null || chosen.Contains(g.Name)))
            {
                await measure(figures, cancel).ConfigureAwait(false);
            }
            Console.Out.WriteLine(JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Task Allocator(SortedDictionary<string, double> figures)
    {
        foreach (var order in new[] { 0, 3, 9 })
        {
            figures[$"buddy_alloc_free_order{order}_ops_per_second"] = BuddyOpsPerSecond(order);
        }
        figures["pcp_fast_path_ops_per_second"] = PcpOpsPerSecond();
        var (boot, bytesPerPage, managed) = TerabyteBoot();
        figures["terabyte_boot_seconds"] = boot;
        figures["terabyte_host_bytes_per_page"] = bytesPerPage;
        figures["terabyte_managed_pages"] = managed;
        return Task.CompletedTask;
    }

    private static Task Replay(SortedDictionary<string, double> figures, CancellationToken cancel)
    {
        var (replayEvents, replayRates) = ReplayEventsPerSecond(cancel);
        figures["replay_events"] = replayEvents;
        figures["replay_events_per_second_cold"] = replayRates[0];
        figures["replay_events_per_second"] = replayRates[^1];
        return Task.CompletedTask;
    }

    private static async Task Throughput(SortedDictionary<string, double> figures, CancellationToken cancel)
    {
        var defaultRun = await SimulationRunner.RunAsync(ScenarioLoader.Load(null), null, cancel).ConfigureAwait(false);
        figures["default_scenario_operations"] = defaultRun.Summary.Operations;
        figures["default_scenario_operations_per_second"] = Math.Round(defaultRun.Summary.OperationsPerSecond);
        // The first runs in a process compile the CPU, zone and allocator paths (the JIT's tiers take a few runs
        // on 2 cores); later runs show the simulator's own rate, as the ping-pong below is measured warm too.
        var throughput = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var run = await SimulationRunner.RunAsync(ScenarioLoader.Load(Scenario("throughput")), null, cancel).ConfigureAwait(false);
            figures["throughput_operations"] = run.Summary.Operations;
            // How many components a round runs side by side: the parallelism the clock leaves the cores.
            figures["throughput_windows_per_round"] = Math.Round((double)run.Summary.Clock.Windows / run.Summary.Clock.Rounds, 2);
            figures["throughput_allocated_bytes_per_operation"] =
                Math.Round((double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / run.Summary.Operations, 1);
            throughput.Add(Math.Round(run.Summary.OperationsPerSecond));
        }
        figures["throughput_operations_per_second_cold"] = throughput[0];
        var warm = throughput.Skip(4).Order().ToList();
        figures["throughput_operations_per_second"] = warm[warm.Count / 2];
        figures["throughput_operations_per_second_best"] = warm[^1];
        var model = ModelOnly(Scenario("throughput"));
        var modelRate = Math.Round(model.Operations / model.Seconds);
        figures["throughput_model_only_operations"] = model.Operations;
        figures["throughput_model_only_operations_per_second"] = modelRate;
        figures["throughput_engine_over_model_only"] = Math.Round(warm[warm.Count / 2] / modelRate, 3);
        // The bare actor rate varies run to run on 2 cores (thread-pool wake-ups): report the
        // median and the best of three, the best being the stricter comparison.
        var pingPong = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            pingPong.Add(await PingPong.MessagesPerSecondAsync(200_000).ConfigureAwait(false));
        }
        pingPong.Sort();
        figures["akka_ping_pong_messages_per_second"] = Math.Round(pingPong[1]);
        figures["akka_ping_pong_messages_per_second_best"] = Math.Round(pingPong[2]);
    }

    /// <summary>
    /// The scenario's workload driven by a synchronous loop over the model (<see cref="ScenarioMachine"/>): the
    /// most the engine could reach, since it runs the same model calls plus its clock and messages. Measured warm as
    /// the engine's figure is: the median wall time of runs 3-5 in this process, with the operations and demand
    /// faults (pgfault) one run does.
    /// </summary>
    private static (long Operations, long Faults, double Seconds) ModelOnly(string path)
    {
        var scenario = ScenarioLoader.Load(path);
        var seconds = new List<double>();
        long operations = 0, faults = 0;
        for (var i = 0; i < 5; i++)
        {
            var machine = new ScenarioMachine(scenario);
            var clock = Stopwatch.StartNew();
            machine.Run();
            seconds.Add(clock.Elapsed.TotalSeconds);
            operations = machine.Operations;
            faults = machine.Event(VmEventItem.Pgfault);
        }
        var warm = seconds.Skip(2).Order().ToList();
        return (operations, faults, warm[warm.Count / 2]);
    }

    private static async Task Telemetry(SortedDictionary<string, double> figures, CancellationToken cancel)
    {
        var (off, metrics, traced) = await TelemetryBench.OperationsPerSecondAsync(ScenarioLoader.Load(Scenario("throughput")), cancel).ConfigureAwait(false);
        figures["throughput_telemetry_off_operations_per_second"] = off;
        figures["throughput_metrics_operations_per_second"] = metrics;
        figures["throughput_traced_operations_per_second"] = traced;
        figures["throughput_metrics_over_off"] = Math.Round(metrics / off, 3);
        figures["throughput_traced_over_off"] = Math.Round(traced / off, 3);
    }

    /// <summary>
    /// first-touch.conf, every access a demand fault: the first run in the process (cold, as a user's run: the JIT
    /// for whatever ReadyToRun left), the median of runs 3-6 (warm), the same workload in one thread over the model
    /// alone, and this machine's kernel on the same kind of faults. Only the first is cold if no group ran before.
    /// </summary>
    private static async Task Faults(SortedDictionary<string, double> figures, CancellationToken cancel)
    {
        var path = Scenario("first-touch");
        var rates = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var run = await SimulationRunner.RunAsync(ScenarioLoader.Load(path), null, cancel).ConfigureAwait(false);
            var faults = run.Machine.Event(VmEventItem.Pgfault);
            figures["first_touch_faults"] = faults;
            rates.Add(Math.Round(faults / run.Summary.WallSeconds));
        }
        var warm = rates.Skip(2).Order().ToList();
        figures["first_touch_faults_per_second"] = rates[0];
        figures["first_touch_faults_per_second_warm"] = warm[warm.Count / 2];
        var model = ModelOnly(path);
        figures["first_touch_model_only_faults"] = model.Faults;
        figures["first_touch_model_only_faults_per_second"] = Math.Round(model.Faults / model.Seconds);
        if (KernelFaultsPerSecond() is { } kernel)
        {
            figures["kernel_faults_per_second"] = kernel;
        }
    }

    /// <summary>
    /// throughput.conf on 2 processes (TLS, as `run --processes 2` runs it), and bare Akka.Remote
    /// round trips between the same 2 processes with a window of 1000 pings in flight. The first
    /// run pays for the member's JIT and serializer set-up; later runs on the same cluster show the
    /// rate a long run settles to, as the 1-process figure and the ping-pong are measured warm.
    /// </summary>
    private static async Task ClusterFigures(SortedDictionary<string, double> figures, CancellationToken cancel)
    {
        var path = Scenario("throughput");
        using var certificate = ThrowawayCertificate.Create();
        var (runs, roundTrips, oneAtATime) = await ClusterRun.WithClusterAsync(2, TimeSpan.FromSeconds(60), certificate.Settings, Console.Error, cancel, CoordinatorEndpoint.Loopback,
            async (system, members, wall) =>
            {
                var rates = new List<double>();
                for (var i = 0; i < 6; i++)
                {
                    var outcome = await ClusterRun.RunInClusterAsync(system, members, ScenarioLoader.Load(path), ScenarioSource.Of(path, null, null), wall, null, cancel).ConfigureAwait(false);
                    rates.Add(Math.Round(outcome.Result?.Summary.OperationsPerSecond ?? throw new InvalidOperationException(outcome.Failure)));
                }
                var pings = new List<double>();
                for (var i = 0; i < 3; i++)
                {
                    pings.Add(await RemotePingPong.RoundTripsPerSecondAsync(system, members[1], 200_000, 1000).ConfigureAwait(false));
                }
                // A round of the clock is one round trip at a time: what bounds the rounds per second.
                var single = await RemotePingPong.RoundTripsPerSecondAsync(system, members[1], 5_000, 1).ConfigureAwait(false);
                return (rates, pings.Order().ToList()[1], single);
            }).ConfigureAwait(false);
        var warm = runs.Skip(1).Order().ToList();
        figures["throughput_2_processes_operations_per_second_cold"] = runs[0];
        figures["throughput_2_processes_operations_per_second"] = warm[warm.Count / 2];
        figures["akka_remote_round_trips_per_second_window_1000"] = Math.Round(roundTrips);
        figures["akka_remote_round_trips_per_second_window_1"] = Math.Round(oneAtATime);
        figures["throughput_2_processes_operations_per_remote_round_trip_cold"] = Math.Round(runs[0] / roundTrips, 3);
        figures["throughput_2_processes_operations_per_remote_round_trip"] = Math.Round(warm[warm.Count / 2] / roundTrips, 3);
    }

    private static string Scenario(string name) => ShippedConfig.Scenario(name);

    /// <summary>The real kernel's demand faults per second: bench/native/faults.c, built with cc if there is one.</summary>
    private static double? KernelFaultsPerSecond()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "bench", "native", "faults.c");
        if (!File.Exists(source))
        {
            return null;
        }
        var binary = Path.Combine(Path.GetTempPath(), $"numasim-faults-{Environment.ProcessId}");
        try
        {
            if (Exec("cc", ["-O2", "-o", binary, source]) is null)
            {
                return null;
            }
            return double.TryParse(Exec(binary, []), System.Globalization.CultureInfo.InvariantCulture, out var rate) ? rate : null;
        }
        finally
        {
            File.Delete(binary);
        }
    }

    private static string? Exec(string program, string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Allocate then free blocks of one order in a 4 GiB zone, alternating batches to keep it realistic.</summary>
    private static double BuddyOpsPerSecond(int order)
    {
        var zone = new BuddyZone(new ZoneSpec(ZoneType.Normal, 1 << 20, 1 << 20, 1 << 20, 1 << 20), Architecture.X86_64);
        var batch = Math.Min(4096, (1 << 19) >> order);
        var pfns = new long[batch];
        long ops = 0;
        var clock = Stopwatch.StartNew();
        while (ops < Operations)
        {
            for (var i = 0; i < batch; i++)
            {
                pfns[i] = zone.Allocate(order, MigrateType.Movable);
            }
            for (var i = 0; i < batch; i++)
            {
                zone.Free(pfns[i], order);
            }
            ops += 2L * batch;
        }
        return Math.Round(ops / clock.Elapsed.TotalSeconds);
    }

    private static double PcpOpsPerSecond()
    {
        var topology = ScenarioLoader.LoadTopologyFile(ShippedConfig.Topology("two-socket"));
        var machine = new PageAllocatorMachine(topology);
        var request = new AllocationRequest(0, Gfp.Kernel, MemPolicy.Default);
        var pfns = new (long Pfn, int Zone)[32];
        long ops = 0;
        var clock = Stopwatch.StartNew();
        while (ops < Operations)
        {
            for (var i = 0; i < pfns.Length; i++)
            {
                pfns[i] = machine.Allocate(0, request);
            }
            for (var i = 0; i < pfns.Length; i++)
            {
                machine.Free(0, pfns[i].Zone, pfns[i].Pfn, 0, MigrateType.Unmovable);
            }
            ops += 2L * pfns.Length;
        }
        return Math.Round(ops / clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// `numasim replay` of a synthetic steady-state trace of a million event lines, written to a temporary file
    /// first: reading, parsing and the model, as the command runs them, in kmem events replayed per second. The
    /// first replay in a process pays for compiling the parser and the model (about a second on 2 cores); the
    /// third is the rate a long trace streams at.
    /// </summary>
    private static (double Events, double[] PerSecond) ReplayEventsPerSecond(CancellationToken cancel)
    {
        var path = Path.Combine(Path.GetTempPath(), $"numasim-bench-trace-{Environment.ProcessId}.txt");
        try
        {
            using (var writer = new StreamWriter(path))
            {
                var trace = new SyntheticKmemTrace(1_000_000);
                while (trace.ReadLine() is { } line)
                {
                    writer.Write(line);
                    writer.Write('\n');
                }
            }
            var topology = ScenarioLoader.LoadTopologyFile(ShippedConfig.Topology("two-socket"));
            var rates = new double[3];
            long events = 0;
            for (var i = 0; i < rates.Length; i++)
            {
                var result = ReplayRunner.Run(path, topology, new ReplayOptions(), null, cancel);
                events = result.Summary.Operations;
                rates[i] = Math.Round(result.Summary.OperationsPerSecond);
            }
            return (events, rates);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (double Seconds, double BytesPerPage, double Managed) TerabyteBoot()
    {
        var topology = ScenarioLoader.LoadTopologyFile(ShippedConfig.Topology("eight-node-1tib"));
        var clock = Stopwatch.StartNew();
        var machine = new PageAllocatorMachine(topology);
        var seconds = clock.Elapsed.TotalSeconds;
        var spanned = topology.Nodes.SelectMany(n => n.Zones).Sum(z => z.Spanned);
        var bytes = machine.Zones.Sum(z => z.Buddy.HostBytes);
        return (Math.Round(seconds, 3), Math.Round((double)bytes / spanned, 3), topology.ManagedPages);
    }
}

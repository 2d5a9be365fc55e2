using System.CommandLine;
using NumaSim.Formats.Import;
using NumaSim.Formats.Output;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Config;
using NumaSim.Replay;

namespace NumaSim.Cli.Commands;

/// <summary>`numasim replay TRACE`: replay an ftrace kmem trace on a simulated machine and write the output tree.</summary>
public static class ReplayCommand
{
    private const string Description = """
        Replay an ftrace kmem trace on a simulated machine and write /proc, /sys and summary.json under --out.
        TRACE is ftrace text (/sys/kernel/tracing/trace, trace-cmd report), gzip accepted, - for standard input;
        it streams through in constant memory. The six kmem events are applied to the model in trace order:
        mm_page_alloc / mm_page_free allocate and free a block of the traced order with the traced gfp_flags,
        kmalloc / kmem_cache_alloc / kfree / kmem_cache_free go through the SLUB model (a kmem_cache is created
        on first sight from its traced bytes_alloc), whose pages come from the same simulated zones.
        Trace CPU n runs on simulated CPU (n % CPUs), CPUs in id order; simulated time is the trace time since
        the first event. A free of a pfn or ptr allocated before the trace began is counted, not an error;
        other events are counted as skipped. A malformed kmem line is exit 2 naming the file, line and field
        (--lenient skips and counts it). --topology and --policy make it a what-if: one machine's trace on
        another machine or under another policy. summary.json's `trace` object has parsed, skipped, by_event,
        frees_unmatched and fidelity (how often the model's kmalloc class and migratetype agree with the
        traced kernel's).
        """;

    public static Command Create()
    {
        var trace = new Argument<string>("TRACE") { Description = "ftrace text trace; .gz (or any gzip data) accepted; - reads standard input" };
        var topology = new Option<string?>("--topology")
        {
            Description = "Topology file holding numasim.topology { ... } (default: reference.conf's, two-socket)",
            HelpName = "FILE",
        };
        var topologyProcfs = new Option<string?>("--topology-procfs")
        {
            Description = "Import the machine from a /proc + /sys snapshot directory (or / for this machine)",
            HelpName = "DIR",
        };
        var policy = new Option<string>("--policy")
        {
            Description = "Memory policy of page allocations: local (default), interleave (all nodes), bind:N, "
                + "or preferred:N, interleave:NODES, bind:NODES",
            HelpName = "local|interleave|bind:N",
            DefaultValueFactory = _ => "local",
        };
        var processes = new Option<int>("--processes") { Description = "Cluster processes (only 1: multi-process replay is not supported yet)", HelpName = "N", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output directory", HelpName = "DIR", DefaultValueFactory = _ => "numasim-out" };
        var lenient = new Option<bool>("--lenient") { Description = "Skip and count malformed kmem lines instead of stopping with exit 2" };
        var seed = new Option<long?>("--seed") { Description = "Seed recorded in summary.json (the replay itself makes no random choice)", HelpName = "N" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress line" };
        var command = new Command("replay", Description);
        command.Arguments.Add(trace);
        command.Options.Add(topology);
        command.Options.Add(topologyProcfs);
        command.Options.Add(policy);
        command.Options.Add(processes);
        command.Options.Add(output);
        command.Options.Add(lenient);
        command.Options.Add(seed);
        command.Options.Add(quiet);
        command.SetAction(Interruption.Handle((parse, cancel) => CliErrors.Guard(() =>
        {
            if (parse.GetValue(processes) != 1)
            {
                return Task.FromResult(CliErrors.BadInput("--processes: multi-process replay is not supported yet; use 1"));
            }
            var machine = LoadTopology(parse.GetValue(topology), parse.GetValue(topologyProcfs));
            if (HostMemoryCheck.Problem(machine) is { } memory)
            {
                return Task.FromResult(CliErrors.Environment(memory));
            }
            var policyText = parse.GetValue(policy)!;
            var memPolicy = ReplayPolicy.Parse(policyText, machine, out var problem);
            if (problem is not null)
            {
                return Task.FromResult(CliErrors.BadInput($"--policy: {problem}"));
            }
            var target = parse.GetValue(output)!;
            if (string.IsNullOrWhiteSpace(target))
            {
                return Task.FromResult(CliErrors.BadInput("--out: give a directory (an empty name would write into the current one)"));
            }
            using var transaction = OutputTransaction.Begin(target);
            var options = new ReplayOptions
            {
                Policy = memPolicy,
                Lenient = parse.GetValue(lenient),
                Seed = parse.GetValue(seed) ?? ScenarioLoader.ReferenceSeed(),
            };
            using var progress = ProgressLine.Create(parse.GetValue(quiet));
            var result = ReplayRunner.Run(parse.GetValue(trace)!, machine, options, progress.ReportReplay, cancel);
            progress.Finish(result.Summary);
            transaction.WriteAndCommit(staging => OutputTreeWriter.Write(staging, result.Machine, result.Summary));
            if (Interruption.Requested)
            {
                Console.Error.WriteLine($"numasim: {Interruption.Reason}: the events replayed so far are in {target}, marked incomplete");
                return Task.FromResult(Interruption.ExitCode);
            }
            if (result.Summary.IncompleteReason is { } reason)
            {
                // --lenient: the events before the damage were replayed and written, marked incomplete.
                Console.Error.WriteLine($"numasim: replay incomplete: {reason}");
                return Task.FromResult(ExitCodes.RunFailed);
            }
            return Task.FromResult(ExitCodes.Success);
        })));
        return command;
    }

    private static MachineTopology LoadTopology(string? file, string? procfs)
    {
        if (file is not null && procfs is not null)
        {
            throw new FormatException("--topology and --topology-procfs: give one or the other");
        }
        if (procfs is not null)
        {
            return ProcfsTopologyImporter.Import(procfs);
        }
        return file is not null ? ScenarioLoader.LoadTopologyFile(ShippedConfig.ResolveTopology(file)) : ScenarioLoader.LoadReferenceTopology();
    }
}

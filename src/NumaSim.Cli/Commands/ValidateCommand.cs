using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NumaSim.Actors.Coordination;
using NumaSim.Formats.Import;
using NumaSim.Formats.Output;
using NumaSim.Model.Snapshots;
using NumaSim.Oracle;
using NumaSim.Oracle.Compare;
using NumaSim.Oracle.Guest;
using NumaSim.Workloads.Config;
using NumaSim.Workloads.Scenarios;
using NumaSim.Results;

namespace NumaSim.Cli.Commands;

/// <summary>
/// `numasim validate`: the scenario's tasks on the real kernel under QEMU, with the scenario's topology, and on
/// the simulator, on the topology imported from the same guest's boot snapshot; the counters side by side.
/// </summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string>("SCENARIO") { Description = "Scenario file (HOCON) whose tasks are written as steps" };
        var kernel = new Option<string>("--kernel") { Description = "The kernel image to boot (a vmlinuz, e.g. from Debian's linux-image package)", HelpName = "VMLINUZ", Required = true };
        var modules = new Option<string?>("--modules")
        {
            Description = "The kernel's lib/modules/VERSION directory (ext4 and virtio_blk, for read-file steps); default: the package layout next to VMLINUZ",
            HelpName = "DIR",
        };
        var output = new Option<string>("--out") { Description = "Output directory: validate.json, the guest's files (guest/), the simulator's trees (sim/)", HelpName = "DIR", DefaultValueFactory = _ => "numasim-validate" };
        var tolerance = new Option<double>("--tolerance")
        {
            Description = $"Largest relative difference that agrees (a difference of at most {Tolerance.DefaultFloorPages} pages always agrees)",
            HelpName = "R",
            DefaultValueFactory = _ => 0.03,
        };
        var seed = new Option<long?>("--seed") { Description = "Seed of the simulator's random streams (overrides numasim.seed)", HelpName = "N" };
        var command = new Command("validate", "Run the scenario's tasks on a real kernel under QEMU (same topology) and on the simulator; print every counter "
            + $"that moved side by side and write validate.json. Exit 0: all agree; {ExitCodes.Disagreement}: a modelled counter, memory tier or HMAT file disagrees; 1: the guest could not be run; 2: bad input.")
        {
            scenario, kernel, modules, output, tolerance, seed,
        };
        command.SetAction(Interruption.Handle((parse, cancel) => CliErrors.Guard(async () =>
        {
            var relative = parse.GetValue(tolerance);
            if (!(relative >= 0 && relative < 1))
            {
                return CliErrors.BadInput($"--tolerance: must be at least 0 and below 1, found {relative.ToString(CultureInfo.InvariantCulture)}");
            }
            var image = parse.GetValue(kernel)!;
            if (!File.Exists(image))
            {
                return CliErrors.BadInput($"--kernel {image}: file not found");
            }
            var moduleDir = parse.GetValue(modules);
            if (moduleDir is not null && !Directory.Exists(moduleDir))
            {
                return CliErrors.BadInput($"--modules {moduleDir}: no such directory");
            }
            var loaded = ScenarioLoader.Load(parse.GetValue(scenario), null, null, parse.GetValue(seed));
            var mirror = ScenarioMirror.Of(loaded);
            if (mirror.Plan.Tasks.Count == 0)
            {
                // One line, with the first reason the scenario gives nothing to run (kernel streams, a task that reads untouched pages, ...).
                var why = mirror.NotMirrored.FirstOrDefault(n => !n.StartsWith("the simulator does not model", StringComparison.Ordinal));
                return CliErrors.BadInput($"{parse.GetValue(scenario)}: numasim.workload.tasks: nothing to run on the kernel: no task written as steps "
                    + "or first-touching its working set" + (why is null ? "" : "; " + why));
            }
            try
            {
                var report = await ValidateAsync(loaded, mirror, image, moduleDir, parse.GetValue(output)!, new Tolerance(relative), cancel).ConfigureAwait(false);
                Console.Out.Write(report.ToText());
                return report.Agrees ? ExitCodes.Success : ExitCodes.Disagreement;
            }
            catch (OracleException e)
            {
                Console.Error.WriteLine($"numasim: validate: {e.Message.ReplaceLineEndings(" ")}");
                return ExitCodes.RunFailed;
            }
        })));
        return command;
    }

    private static async Task<ValidationReport> ValidateAsync(
        Scenario scenario, ScenarioMirror mirror, string kernel, string? modules, string dir, Tolerance tolerance, CancellationToken cancel)
    {
        var wall = Stopwatch.StartNew();
        var guest = await GuestRun.RunAsync(mirror.Plan, kernel, modules, Path.Combine(dir, "guest"), mirror.Plan.TimeLimit(), cancel).ConfigureAwait(false);
        Model.Topology.MachineTopology booted;
        try
        {
            booted = ProcfsTopologyImporter.Import(guest.StartSnapshot());
        }
        catch (FormatException e)
        {
            throw new OracleException($"the guest's snapshot does not import: {e.Message}", e);
        }
        Console.Error.WriteLine($"numasim: validate: the kernel ran in {guest.Elapsed.TotalSeconds:0.0} s; simulating on its snapshot from just before the tasks");
        var start = await SimulationRunner.RunAsync(ScenarioMirror.Simulated(scenario, booted, withTasks: false), cancel: cancel).ConfigureAwait(false);
        var end = await SimulationRunner.RunAsync(ScenarioMirror.Simulated(scenario, booted, withTasks: true), cancel: cancel).ConfigureAwait(false);
        var simStart = Path.Combine(dir, "sim", "start");
        var simEnd = Path.Combine(dir, "sim", "end");
        OutputTreeWriter.Write(simStart, start.Machine, start.Summary);
        OutputTreeWriter.Write(simEnd, end.Machine, end.Summary);

        var real = CounterComparison.RealDelta(
            CounterSet.Read(guest.Tag("run.before")), CounterSet.Read(guest.Tag("run.held")),
            CounterSet.Read(guest.Tag("empty.before")), CounterSet.Read(guest.Tag("empty.held")));
        var simulated = CounterSet.Read(simEnd).Minus(CounterSet.Read(simStart));
        var comparison = CounterComparison.Of(real, simulated, ModelledCounters.Counted, tolerance);
        var tasks = mirror.Plan.Tasks.Select((t, i) => new TaskOutcome(t.Cpu, t.Steps, TaskOutput(guest, i + 1))).ToList();
        var files = SysFileComparison.Of(guest.Boot, simStart);
        var report = new ValidationReport(scenario.Name, guest.KernelVersion, tolerance, comparison, files, mirror.NotMirrored, tasks,
            SimulatorNotes(end.Summary), guest.Elapsed.TotalSeconds, wall.Elapsed.TotalSeconds);
        report.Write(dir);
        return report;
    }

    private static string TaskOutput(GuestResult guest, int task)
    {
        var path = Path.Combine(guest.Tag("run.task"), "task" + task.ToString(CultureInfo.InvariantCulture));
        return File.Exists(path) ? File.ReadAllText(path).Trim() : "no output (the guest printed none)";
    }

    /// <summary>What the simulated run reported besides its counters: failures the kernel would answer with an OOM kill.</summary>
    private static List<string> SimulatorNotes(RunSummary summary)
    {
        var notes = new List<string>();
        if (summary.IncompleteReason is { } reason)
        {
            notes.Add($"the run did not complete: {reason}");
        }
        if (summary.Panic is { } panic)
        {
            notes.Add($"panic: {panic}");
        }
        if (summary.Allocations.Failed > 0)
        {
            notes.Add($"{summary.Allocations.Failed} allocations failed (the kernel would reclaim or OOM-kill; the simulator reports the failure)");
        }
        foreach (var group in summary.Errors.GroupBy(e => e.Kind))
        {
            notes.Add($"{group.Count()} errors of kind {group.Key}, first: {group.First().Message}");
        }
        return notes;
    }
}

using System.CommandLine;
using NumaSim.Actors.Coordination;
using NumaSim.Formats.Output;

namespace NumaSim.Cli.Commands;

/// <summary>`numasim run`: simulate a scenario and write the output tree.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var scenario = new ScenarioOptions();
        var output = new Option<string>("--out") { Description = "Output directory", HelpName = "DIR", DefaultValueFactory = _ => "numasim-out" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress line" };
        var processes = new Option<int>("--processes") { Description = "Cluster processes to spread the nodes over (only 1 for now)", HelpName = "N", DefaultValueFactory = _ => 1 };
        var command = new Command("run", "Simulate a scenario and write /proc, /sys and summary.json under --out.\n"
            + "With no SCENARIO it runs config/scenarios/default.conf on its embedded topology.");
        scenario.AddTo(command, withTopology: true);
        command.Options.Add(output);
        command.Options.Add(quiet);
        command.Options.Add(processes);
        command.SetAction((parse, cancel) => CliErrors.Guard(async () =>
        {
            if (parse.GetValue(processes) != 1)
            {
                return CliErrors.BadInput("--processes: multi-process runs are not built yet; use 1");
            }
            var loaded = scenario.Load(parse);
            var dir = parse.GetValue(output)!;
            using var progress = ProgressLine.Create(parse.GetValue(quiet));
            // DIR/proc/slabinfo follows the run about once a second, so `numasim slabtop DIR` shows it live.
            var result = await SimulationRunner.RunAsync(
                loaded, progress.Report, cancel, new SlabinfoFeed(rows => OutputTreeWriter.WriteLiveSlabinfo(dir, rows), TimeSpan.FromSeconds(1))).ConfigureAwait(false);
            progress.Finish(result.Summary);
            OutputTreeWriter.Write(dir, result.Machine, result.Summary);
            KernelLog.Print(result.Summary, Console.Error);
            if (result.Summary.Panic is not null)
            {
                return ExitCodes.KernelPanic;
            }
            return result.Summary.Complete ? ExitCodes.Success : ExitCodes.RunFailed;
        }));
        return command;
    }
}

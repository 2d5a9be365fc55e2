using System.CommandLine;
using NumaSim.Actors.Coordination;
using NumaSim.Formats.Output;

namespace NumaSim.Cli.Commands;

/// <summary>`numasim proc NAME`: run the scenario and print one file as the kernel would.</summary>
public static class ProcCommand
{
    public static Command Create()
    {
        var names = OutputTreeWriter.ProcNames.ToArray();
        var name = new Argument<string>("NAME")
        {
            Description = "One of: " + string.Join(' ', names) + " (meminfo: /proc/meminfo; node-meminfo: every node's sys/devices/system/node/nodeN/meminfo)",
        };
        name.AcceptOnlyFromAmong(names);
        var scenario = new ScenarioOptions();
        var command = new Command("proc", "Simulate a scenario (default: the default scenario) and print one /proc or /sys view of the result.");
        command.Arguments.Add(name);
        scenario.AddTo(command, withTopology: true);
        command.SetAction(Interruption.Handle((parse, cancel) => CliErrors.Guard(async () =>
        {
            var loaded = scenario.Load(parse);
            var result = await SimulationRunner.RunAsync(loaded, null, cancel).ConfigureAwait(false);
            Console.Out.Write(OutputTreeWriter.RenderProc(parse.GetValue(name)!, result.Machine));
            return ExitCodes.Success;
        })));
        return command;
    }
}

using System.CommandLine;
using NumaSim.Actors.Coordination;
using NumaSim.Formats.Output;

namespace NumaSim.Cli.Commands;

/// <summary>`numasim proc NAME`: run the scenario and print one file as the kernel would.</summary>
public static class ProcCommand
{
    public static readonly string[] Names = [.. OutputTreeWriter.ProcNames];

    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "One of: " + string.Join(' ', Names) };
        name.AcceptOnlyFromAmong(Names);
        var scenario = new ScenarioOptions();
        var command = new Command("proc", "Simulate a scenario (default: the default scenario) and print one /proc or /sys view of the result.");
        command.Arguments.Add(name);
        scenario.AddTo(command, withTopology: true);
        command.SetAction((parse, cancel) => CliErrors.Guard(async () =>
        {
            var loaded = scenario.Load(parse);
            var result = await SimulationRunner.RunAsync(loaded, null, cancel).ConfigureAwait(false);
            Console.Out.Write(OutputTreeWriter.RenderProc(parse.GetValue(name)!, result.Machine));
            return ExitCodes.Success;
        }));
        return command;
    }
}

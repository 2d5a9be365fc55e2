using System.CommandLine;
using NumaSim.Cli.Commands;

namespace NumaSim.Cli;

/// <summary>The `numasim` command line (docs/cli.md).</summary>
public static class NumasimCommand
{
    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("NumaSim: a NUMA memory-management simulator (buddy allocator, per-CPU lists, zones, "
            + "watermarks, memory policies) on Akka.NET actors in simulated time.")
        {
            RunCommand.Create(),
            ReplayCommand.Create(),
            ProcCommand.Create(),
            TopologyCommand.Create(),
            SlabtopCommand.Create(),
            BenchCommand.Create(),
            MemberCommand.Create(),
            ValidateCommand.Create(),
        };
        var parse = root.Parse(args);
        if (UsageErrors.Describe(parse) is { } mistake)
        {
            return CliErrors.BadInput(mistake);
        }
        using var signals = Interruption.Install();
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }
}

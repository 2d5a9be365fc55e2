using System.CommandLine;
using NumaSim.Formats.Import;

namespace NumaSim.Cli.Commands;

/// <summary>`numasim topology import ROOT`: a real machine's snapshot as a HOCON topology.</summary>
public static class TopologyCommand
{
    public static Command Create()
    {
        var root = new Argument<string>("ROOT") { Description = "/ for this machine, or a snapshot directory laid out as tests/data/reference/procfs-6.18" };
        var import = new Command("import", "Read zoneinfo, numactl-hardware.txt or sys node files under ROOT and print numasim.topology { ... }.");
        import.Arguments.Add(root);
        import.SetAction(parse => CliErrors.Guard(() =>
        {
            var dir = parse.GetValue(root)!;
            if (!Directory.Exists(dir))
            {
                return Task.FromResult(CliErrors.BadInput($"{dir}: no such directory"));
            }
            var topology = ProcfsTopologyImporter.Import(dir);
            var tiers = MemoryTiers.Read(dir).Select(t => "memory tier (reported, not imported) " + t)
                .Concat(ComputedTiers(topology));
            Console.Out.Write(TopologyHoconWriter.Write(topology, dir, tiers));
            return Task.FromResult(ExitCodes.Success);
        }).GetAwaiter().GetResult());
        var command = new Command("topology", "Work with topologies.");
        command.Subcommands.Add(import);
        return command;
    }

    /// <summary>The tiers a run on the imported machine computes from its access figures, beside the reported ones.</summary>
    private static IEnumerable<string> ComputedTiers(Model.Topology.MachineTopology topology) =>
        topology.Nodes.Any(n => n.Access is not null)
            ? Model.Tiering.MemoryTiers.Establish(topology).Tiers.Select(t => $"memory tier (computed from access) {t.Name}: nodes {Formats.CpuList.Format(t.Nodes)}")
            : [];
}

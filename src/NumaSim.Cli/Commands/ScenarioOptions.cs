using System.CommandLine;
using NumaSim.Formats.Import;
using NumaSim.Workloads.Config;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Cli.Commands;

/// <summary>The scenario argument and the options that change its machine or seed, shared by run and proc.</summary>
public sealed class ScenarioOptions
{
    public Argument<string?> Scenario { get; } = new("SCENARIO")
    {
        Description = "Scenario file (HOCON), or a shipped scenario's name (first-touch, slab-debug, ...). Default: config/scenarios/default.conf",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public Option<string?> Topology { get; } = new("--topology")
    {
        Description = "Topology file holding numasim.topology { ... }, or a shipped topology's name (two-socket, ...); replaces the scenario's machine",
        HelpName = "FILE|NAME",
    };

    public Option<string?> TopologyProcfs { get; } = new("--topology-procfs")
    {
        Description = "Import the machine from a /proc + /sys snapshot directory (or / for this machine)",
        HelpName = "DIR",
    };

    public Option<long?> Seed { get; } = new("--seed")
    {
        Description = "Seed of every random stream (overrides numasim.seed)",
        HelpName = "N",
    };

    public void AddTo(Command command, bool withTopology)
    {
        command.Arguments.Add(Scenario);
        if (withTopology)
        {
            command.Options.Add(Topology);
            command.Options.Add(TopologyProcfs);
        }
        command.Options.Add(Seed);
    }

    public Scenario Load(ParseResult parse)
    {
        var topologyFile = parse.GetValue(Topology);
        var procfs = parse.GetValue(TopologyProcfs);
        if (topologyFile is not null && procfs is not null)
        {
            throw new FormatException("--topology and --topology-procfs: give one or the other");
        }
        var imported = procfs is not null ? ProcfsTopologyImporter.Import(procfs) : null;
        return ScenarioLoader.Load(ScenarioPath(parse), TopologyPath(parse), imported, parse.GetValue(Seed));
    }

    /// <summary>The scenario file: as given, or the shipped one of that name, or the default.</summary>
    public string ScenarioPath(ParseResult parse) => ShippedConfig.ResolveScenario(parse.GetValue(Scenario));

    /// <summary>The --topology file: as given, or the shipped one of that name; null without --topology.</summary>
    public string? TopologyPath(ParseResult parse) => parse.GetValue(Topology) is { } topology ? ShippedConfig.ResolveTopology(topology) : null;
}

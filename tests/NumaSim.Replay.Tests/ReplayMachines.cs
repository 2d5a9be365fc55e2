using NumaSim.Formats.Trace;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Config;
using NumaSim.Replay;

namespace NumaSim.Replay.Tests;

/// <summary>The shipped machines the replay tests run on, and shortcuts to replay a trace text on them.</summary>
internal static class ReplayMachines
{
    public static MachineTopology SingleNode { get; } = ScenarioLoader.LoadTopologyFile(ShippedConfig.Topology("single-node"));

    public static MachineTopology TwoSocket { get; } = ScenarioLoader.LoadTopologyFile(ShippedConfig.Topology("two-socket"));

    public static MemPolicy Local { get; } = new(MemPolicyMode.Local, []);

    /// <summary>Replays through the runner (parser, read-ahead, replayer), errors naming trace.txt.</summary>
    public static ReplayResult Replay(string text, MachineTopology? topology = null, MemPolicy? policy = null, bool lenient = false) =>
        ReplayRunner.Run(new StringReader(text), "trace.txt", topology ?? TwoSocket, new ReplayOptions { Policy = policy ?? Local, Lenient = lenient });

    /// <summary>The events of a trace text, for driving a <see cref="TraceReplayer"/> one event at a time.</summary>
    public static List<KmemEvent> Events(string text) =>
        [.. new FtraceKmemParser { Strict = true, SourceName = "trace.txt" }.Parse(new StringReader(text), new TraceStats())];
}

using System.Runtime.CompilerServices;
using NumaSim.Formats.Trace;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;
using Stopwatch = System.Diagnostics.Stopwatch;
using NumaSim.Results;

namespace NumaSim.Replay;

/// <summary>
/// Reads an ftrace kmem trace and replays it on a simulated machine: the parser streams events (a batch or so
/// ahead, on a second thread: <see cref="ReadAhead"/>) to a <see cref="TraceReplayer"/>, then the machine and
/// summary are folded as `numasim run` folds a simulation.
/// The per-event methods of the parser and the replayer are marked AggressiveOptimization: each runs millions of
/// times within the first seconds of the process, and taking them through the JIT's tiers (quick code, PGO
/// instrumentation, then optimized code) cost about a sixth of the CPU time of a 2 M line replay.
/// </summary>
public static class ReplayRunner
{
    /// <summary>The incomplete reason of a replay stopped by its cancellation token.</summary>
    public const string InterruptedReason = "interrupted";

    /// <summary>Events between two progress reports (and cancellation checks).</summary>
    private const long ProgressEvery = 1 << 16;

    /// <summary>Replays the trace at <paramref name="path"/> ("-" standard input; gzip by content).</summary>
    /// <exception cref="FormatException">
    /// The file is missing or unreadable, or, unless <see cref="ReplayOptions.Lenient"/>, a kmem line is
    /// malformed: the message reads "FILE:LINE: EVENT: what is wrong".
    /// </exception>
    public static ReplayResult Run(
        string path, MachineTopology topology, ReplayOptions options, Action<ReplayProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        var stats = new TraceStats();
        var parser = new FtraceKmemParser { Strict = !options.Lenient };
        return Replay(parser.ParseFile(path, stats), stats, TraceSource.DisplayName(path), topology, options, progress, cancel);
    }

    /// <summary>As <see cref="Run(string, MachineTopology, ReplayOptions, Action{ReplayProgress}?, CancellationToken)"/>
    /// for a trace already open; errors name <paramref name="source"/>.</summary>
    public static ReplayResult Run(
        TextReader reader, string source, MachineTopology topology, ReplayOptions options, Action<ReplayProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var stats = new TraceStats();
        var parser = new FtraceKmemParser { Strict = !options.Lenient, SourceName = source };
        return Replay(parser.Parse(reader, stats), stats, source, topology, options, progress, cancel);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReplayResult Replay(
        IEnumerable<KmemEvent> events,
        TraceStats stats,
        string source,
        MachineTopology topology,
        ReplayOptions options,
        Action<ReplayProgress>? progress,
        CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var wall = Stopwatch.StartNew();
        var replayer = new TraceReplayer(topology, options.Policy);
        var bootSeconds = wall.Elapsed.TotalSeconds;
        var next = ProgressEvery;
        var interrupted = false;
        // Cancelling stops the replay between two events; what was replayed is the result, marked interrupted.
        foreach (var e in ReadAhead.Of(events, CancellationToken.None))
        {
            replayer.Apply(e);
            if (replayer.Events >= next)
            {
                next += ProgressEvery;
                if (cancel.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }
                progress?.Invoke(new ReplayProgress(replayer.SimulatedNs, replayer.Events, wall.Elapsed));
            }
        }
        var machine = replayer.Snapshot();
        var summary = new RunSummary(
            "replay:" + Path.GetFileName(source),
            options.Seed,
            replayer.Events,
            replayer.SimulatedNs,
            wall.Elapsed.TotalSeconds,
            bootSeconds,
            [new MemberInfo(Environment.ProcessId, "local", [.. topology.Nodes.Select(n => n.Id)])],
            new TlbCounts(0, 0),
            new Dictionary<string, LatencyStats>(),
            replayer.Errors,
            new SimulationClockInfo(0, 0, 0),
            replayer.Allocations,
            interrupted ? InterruptedReason : stats.ReadError is null ? null : "trace ends early: " + stats.ReadError)
        {
            Trace = replayer.Summary(stats, source),
        };
        return new ReplayResult(machine, summary);
    }
}

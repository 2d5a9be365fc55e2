using NumaSim.Model.PageAlloc;

namespace NumaSim.Actors.Messages;

/// <summary>
/// Run every event with time &lt; Until. Views are the zones' free counts at the last window's
/// end (index: zone index), what CPUs' watermark checks read.
/// </summary>
public sealed record RunWindow(long Start, long Until, ZoneFreeView[] Views) : ISimMessage;

/// <summary>
/// A component finished its window: the earliest time of anything it holds or has sent
/// (long.MaxValue if none), and whether its workload is complete.
/// </summary>
public sealed record ComponentDone(int Component, long NextEventTime, bool WorkloadFinished, long Operations, ZoneFreeView? View) : ISimMessage;

/// <summary>A node's share of the window: its components' answers folded.</summary>
public sealed record NodeDone(int Node, long NextEventTime, bool WorkloadFinished, long Operations, IReadOnlyList<(int Zone, ZoneFreeView View)> Views) : ISimMessage;

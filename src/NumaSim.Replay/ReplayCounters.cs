using NumaSim.Model.Snapshots;

namespace NumaSim.Replay;

/// <summary>What a replay counts as it applies events; folded into summary.json's `trace` object at the end.</summary>
internal sealed class ReplayCounters
{
    public long Events;
    public long PageAllocs;
    public long PageAllocFailures;
    public long PageAllocsFailedInTrace;
    public long PageAllocsRemote;
    public long PageFrees;
    public long PageFreeOrderMismatches;
    public long PageFreesUnmatched;
    public long ObjectAllocs;
    public long ObjectAllocFailures;
    public long ObjectAllocsFailedInTrace;
    public long ObjectFrees;
    public long ObjectFreesUnmatched;
    public long NullFrees;
    public long AllocsOverLive;
    public long BytesAllocChecked;
    public long BytesAllocMismatches;
    public long MigratetypeChecked;
    public long MigratetypeMismatches;

    public TraceFidelity Fidelity => new(BytesAllocChecked, BytesAllocMismatches, MigratetypeChecked, MigratetypeMismatches);
}

using NumaSim.Model.PageAlloc;

namespace NumaSim.Replay;

/// <summary>
/// How to replay a trace: the memory policy page allocations follow (default local), whether a malformed
/// kmem line is skipped and counted (lenient) or stops the replay, and the seed summary.json records.
/// </summary>
public sealed record ReplayOptions
{
    public MemPolicy Policy { get; init; } = new(MemPolicyMode.Local, []);

    public bool Lenient { get; init; }

    public long Seed { get; init; } = 1;
}

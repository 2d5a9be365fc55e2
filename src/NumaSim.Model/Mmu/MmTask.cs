using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Mmu;

/// <summary>A task as the fault path sees it, with nothing else: for <see cref="FaultMachine"/>'s callers (tests, benchmarks).</summary>
public sealed class MmTask(int id, MemPolicy policy) : IMmTask
{
    public int Id { get; } = id;

    public AddressSpace? Mm { get; set; }

    public MemPolicy Policy { get; } = policy;

    public long InterleaveNext { get; set; }

    public bool Stopped { get; private set; }

    public void Stop() => Stopped = true;
}

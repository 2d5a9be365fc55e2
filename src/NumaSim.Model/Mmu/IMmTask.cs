using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Mmu;

/// <summary>The parts of a task_struct the fault path reads and writes: its mm, its mempolicy and il_prev.</summary>
public interface IMmTask
{
    int Id { get; }

    AddressSpace? Mm { get; set; }

    /// <summary>The task's own policy (set_mempolicy), which its page tables are allocated by.</summary>
    MemPolicy Policy { get; }

    /// <summary>The next node of an interleave policy for allocations with no offset to go by (the kernel's il_prev).</summary>
    long InterleaveNext { get; set; }

    /// <summary>The task cannot go on (the OOM killer chose it): it does nothing more.</summary>
    void Stop();
}

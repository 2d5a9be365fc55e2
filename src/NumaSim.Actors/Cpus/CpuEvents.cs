using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Actors.Cpus;

/// <summary>The CPU's allocation stream is due to issue its next allocation.</summary>
internal sealed record AllocDue : ISimPayload
{
    public static AllocDue Instance { get; } = new();
}

/// <summary>A block's lifetime has ended: the CPU frees it.</summary>
internal sealed record FreeDue(int Zone, long Pfn, int Order, MigrateType Type) : ISimPayload;

/// <summary>A task placed on this CPU by the scenario starts: it builds its address space.</summary>
internal sealed record TaskStart(int TaskId) : ISimPayload;

/// <summary>A task on this CPU is due for its next step (an access, or an mprotect/munmap/migration).</summary>
internal sealed record TaskStepDue(int TaskId) : ISimPayload;

using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Actors.Cpus;

/// <summary>The CPU's workload is due to issue its next allocation.</summary>
internal sealed record AllocDue : ISimPayload
{
    public static AllocDue Instance { get; } = new();
}

/// <summary>A block's lifetime has ended: the CPU frees it.</summary>
internal sealed record FreeDue(int Zone, long Pfn, int Order, MigrateType Type) : ISimPayload;

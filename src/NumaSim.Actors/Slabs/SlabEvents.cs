using NumaSim.Actors.Messages;

namespace NumaSim.Actors.Slabs;

/// <summary>The CPU's kernel stream is due to make its next allocation.</summary>
internal sealed record KernelAllocDue : ISimPayload
{
    public static KernelAllocDue Instance { get; } = new();
}

/// <summary>A stream allocation's lifetime has ended: the CPU frees it.</summary>
internal sealed record KernelFreeDue(LiveObject Object) : ISimPayload;

/// <summary>A step of the kernel script is due on this CPU.</summary>
internal sealed record ScriptDue(int Index) : ISimPayload;


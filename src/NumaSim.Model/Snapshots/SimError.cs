namespace NumaSim.Model.Snapshots;

/// <summary>A simulated kernel bug or failure the run detected (the run goes on).</summary>
public sealed record SimError(string Kind, string Message, int Cpu, long SimulatedNs)
{
    /// <summary>The slab cache involved, for slab reports.</summary>
    public string? Cache { get; init; }

    /// <summary>The object's address as the kernel prints a pointer, for slab reports.</summary>
    public string? Address { get; init; }
}

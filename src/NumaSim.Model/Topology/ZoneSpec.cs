namespace NumaSim.Model.Topology;

/// <summary>
/// One populated zone: its PFN span and how much of it is real (present) and handed to the
/// buddy allocator (managed). Holes are spanned - present; reserved pages are present - managed.
/// </summary>
public sealed record ZoneSpec(ZoneType Type, long StartPfn, long Spanned, long Present, long Managed)
{
    public long EndPfn => StartPfn + Spanned;

    /// <summary>
    /// Managed pages already in use when the run starts (what a real machine's boot and its other tasks hold:
    /// managed minus nr_free_pages in a snapshot's zoneinfo). They are taken before the workload and never freed.
    /// </summary>
    public long InUse { get; init; }

    /// <summary>Watermarks taken from a snapshot instead of computed from managed pages (null: computed).</summary>
    public ZoneMarks? Watermarks { get; init; }

    /// <summary>
    /// Of <see cref="InUse"/>, the pages sitting on each CPU's per-CPU list (by CPU id) when the run starts, as a
    /// snapshot's zoneinfo pagesets show them: not free to the buddy allocator, but there for that CPU to take.
    /// </summary>
    public IReadOnlyList<int> PcpPages { get; init; } = [];

    public bool Equals(ZoneSpec? other) =>
        other is not null && Type == other.Type && StartPfn == other.StartPfn && Spanned == other.Spanned && Present == other.Present
        && Managed == other.Managed && InUse == other.InUse && Watermarks == other.Watermarks && PcpPages.SequenceEqual(other.PcpPages);

    public override int GetHashCode() => HashCode.Combine(Type, StartPfn, Spanned, Present, Managed, InUse, Watermarks, PcpPages.Count);

    /// <summary>The first PFN of the pages on per-CPU lists at start; CPU c's follow those of CPUs 0..c-1.</summary>
    public long PcpStartPfn => EndPfn - Managed + InUse - PcpPages.Sum();

    /// <summary>The pages CPU <paramref name="cpu"/>'s list holds at start.</summary>
    public IEnumerable<long> InitialPcp(int cpu)
    {
        if (cpu >= PcpPages.Count)
        {
            yield break;
        }
        var first = PcpStartPfn + PcpPages.Take(cpu).Sum();
        for (var i = 0L; i < PcpPages[cpu]; i++)
        {
            yield return first + i;
        }
    }
}

using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Vmalloc;

/// <summary>
/// What <see cref="VmallocNodeRange"/> wants next. <see cref="VmallocStepKind.NeedPage"/> names one order-0 page
/// (<see cref="Node"/>, <see cref="Gfp"/>). <see cref="VmallocStepKind.Done"/> carries the mapped
/// <see cref="Area"/>, its <see cref="Pages"/>, the page-table pages the mapping took (<see cref="Tables"/>) and the
/// ones it did not need (<see cref="UnusedTables"/>, for the caller to free). <see cref="VmallocStepKind.Failed"/>
/// carries the kernel's <see cref="Warning"/>, if it prints one, and the pages and tables gathered so far, for the
/// caller to free in that order.
/// </summary>
public sealed record VmallocStep(VmallocStepKind Kind)
{
    public int Node { get; init; } = -1;

    public Gfp Gfp { get; init; }

    public VmArea? Area { get; init; }

    public IReadOnlyList<long> Pages { get; init; } = [];

    public IReadOnlyList<long> Tables { get; init; } = [];

    public IReadOnlyList<long> UnusedTables { get; init; } = [];

    public string? Warning { get; init; }
}

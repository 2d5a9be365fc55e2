using NumaSim.Model.PageAlloc;
using NumaSim.Workloads.Kernel;

namespace NumaSim.Actors.Slabs;

/// <summary>
/// One call into the kernel allocators in progress: what to call, with what, and where its result
/// goes (a script name, or a lifetime after which the stream frees it).
/// </summary>
internal sealed record KernelCall(KernelOp Op, long Size, Gfp Gfp, string? Cache, int Node)
{
    /// <summary>The object a free or a write acts on.</summary>
    public LiveObject? Target { get; init; }

    /// <summary>The script name an allocation's result is stored under.</summary>
    public string? Name { get; init; }

    /// <summary>The stream kind an allocation came from (its lifetime).</summary>
    public KernelAllocKind? Kind { get; init; }

    public ScriptStep? Step { get; init; }

    /// <summary>An xarray node the page cache needed (<see cref="Messages.XaNodeAlloc"/>): part of a read, not an operation of its own.</summary>
    public bool ForPageCache { get; init; }

    public bool Allocates => Op is KernelOp.Kmalloc or KernelOp.Kzalloc or KernelOp.KmemCacheAlloc or KernelOp.Vmalloc;
}

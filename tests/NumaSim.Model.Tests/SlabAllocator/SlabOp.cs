namespace NumaSim.Model.Tests.SlabAllocator;

public enum SlabOpKind
{
    Alloc,
    Free,
    Flush,
    Shrink,
}

/// <summary>One generated step: allocate on a CPU (node -1 or a node, maybe __GFP_THISNODE), free live object
/// #Index (modulo the live count) from a CPU, flush_all, or kmem_cache_shrink.</summary>
public sealed record SlabOp(SlabOpKind Kind, int Cpu, int Node, bool ThisNode, int Index, long Size)
{
    public override string ToString() => Kind switch
    {
        SlabOpKind.Alloc => $"alloc(cpu{Cpu},n{Node}{(ThisNode ? ",THISNODE" : "")},{Size})",
        SlabOpKind.Free => $"free(cpu{Cpu},#{Index})",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>A cache (object size, slub_debug or not) on 4 CPUs over 2 nodes with a page budget per node.</summary>
public sealed record SlabScenario(int Size, bool Debug, long PagesPerNode, IReadOnlyList<SlabOp> Ops, int Seed)
{
    public override string ToString() => $"size={Size} debug={Debug} budget={PagesPerNode} ops=[{string.Join(' ', Ops)}]";
}

namespace NumaSim.Model.Slab;

/// <summary>What a page of the direct map holds: a slab of some cache (<see cref="Slab"/> set), a page the SLOB heap
/// owns (<see cref="Owner"/> set, no slab), or a large kmalloc block (no owner).</summary>
internal readonly record struct SlabPageEntry(ISlabPageOwner? Owner, Slab? Slab, long HeadPfn, int LargeOrder, int LargeNode)
{
    public bool IsLarge => Owner is null;

    /// <summary>The node the memory is on.</summary>
    public int Node => Slab?.Node ?? LargeNode;

    /// <summary>The block's order.</summary>
    public int Order => Slab?.Order ?? LargeOrder;
}

namespace NumaSim.Model.Slab;

/// <summary>
/// SLAB's per-cache tunables as /proc/slabinfo prints them (cachep->limit, batchcount, shared): the per-CPU array
/// holds up to <see cref="Limit"/> objects and moves <see cref="BatchCount"/> at a time; each node's shared array
/// holds <see cref="SharedFactor"/> x batchcount. SLUB and SLOB have none (all 0).
/// </summary>
public readonly record struct SlabTunables(int Limit, int BatchCount, int SharedFactor)
{
    /// <summary>The shared array's size (alloc_arraycache(node, shared * batchcount, ...)).</summary>
    public int SharedLimit => SharedFactor * BatchCount;

    /// <summary>What slabinfo_write accepts: limit &gt;= 1, 1 &lt;= batchcount &lt;= limit, shared &gt;= 0.</summary>
    public bool IsValid => Limit >= 1 && BatchCount >= 1 && BatchCount <= Limit && SharedFactor >= 0;
}

namespace NumaSim.Model.PageAlloc;

public enum MemPolicyMode
{
    Default,
    Local,
    Bind,
    Preferred,
    Interleave,

    /// <summary>MPOL_PREFERRED_MANY: the nodes first without direct reclaim, then any node (alloc_pages_preferred_many).</summary>
    PreferredMany,

    /// <summary>MPOL_WEIGHTED_INTERLEAVE: interleave by the per-node weights of /sys/kernel/mm/mempolicy/weighted_interleave.</summary>
    WeightedInterleave,
}

/// <summary>A NUMA memory policy (mm/mempolicy.c): mode plus node mask.</summary>
public sealed record MemPolicy(MemPolicyMode Mode, IReadOnlyList<int> Nodes)
{
    public static MemPolicy Default { get; } = new(MemPolicyMode.Default, []);

    /// <summary>The mode as a scenario and numactl write it: bind, preferred-many, weighted-interleave.</summary>
    public static string ModeName(MemPolicyMode mode) => mode switch
    {
        MemPolicyMode.PreferredMany => "preferred-many",
        MemPolicyMode.WeightedInterleave => "weighted-interleave",
        _ => mode.ToString().ToLowerInvariant(),
    };

    /// <summary>Whether the mode spreads pages by an interleave index (interleave_nid or weighted_interleave_nid).</summary>
    public bool Interleaves => Mode is MemPolicyMode.Interleave or MemPolicyMode.WeightedInterleave;

    public override string ToString() => Mode switch
    {
        MemPolicyMode.Default => "default",
        MemPolicyMode.Local => "local",
        _ => $"{ModeName(Mode)}:{string.Join(',', Nodes)}",
    };
}

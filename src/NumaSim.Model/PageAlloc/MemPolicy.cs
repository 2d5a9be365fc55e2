namespace NumaSim.Model.PageAlloc;

public enum MemPolicyMode
{
    Default,
    Local,
    Bind,
    Preferred,
    Interleave,
}

/// <summary>A NUMA memory policy (mm/mempolicy.c): mode plus node mask.</summary>
public sealed record MemPolicy(MemPolicyMode Mode, IReadOnlyList<int> Nodes)
{
    public static MemPolicy Default { get; } = new(MemPolicyMode.Default, []);

    public override string ToString() => Mode switch
    {
        MemPolicyMode.Default => "default",
        MemPolicyMode.Local => "local",
        _ => $"{Mode.ToString().ToLowerInvariant()}:{string.Join(',', Nodes)}",
    };
}

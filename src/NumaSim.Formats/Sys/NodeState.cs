namespace NumaSim.Formats.Sys;

/// <summary>The node masks /sys/devices/system/node lists (enum node_states, each a range-list file).</summary>
public enum NodeState
{
    /// <summary>possible: every node the machine can have.</summary>
    Possible,

    /// <summary>online: every node brought up at boot.</summary>
    Online,

    /// <summary>has_cpu: nodes with at least one CPU.</summary>
    HasCpu,

    /// <summary>has_memory (N_MEMORY): nodes with any populated zone, Movable included.</summary>
    HasMemory,

    /// <summary>has_normal_memory (N_NORMAL_MEMORY): nodes with a populated zone at or below Normal.</summary>
    HasNormalMemory,
}

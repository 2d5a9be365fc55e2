namespace NumaSim.Model.Slab;

/// <summary>The kernel's taint bits (include/linux/panic.h, 6.15+ with TAINT_FWCTL), in print order.</summary>
public enum TaintFlag
{
    ProprietaryModule = 0,
    ForcedModule = 1,
    CpuOutOfSpec = 2,
    ForcedRmmod = 3,
    MachineCheck = 4,

    /// <summary>TAINT_BAD_PAGE ('B'): added by every SLUB object/slab error report.</summary>
    BadPage = 5,
    User = 6,
    Die = 7,
    OverriddenAcpiTable = 8,

    /// <summary>TAINT_WARN ('W'): added by WARN(), e.g. kmem_cache_destroy on a cache with objects.</summary>
    Warn = 9,
    Crap = 10,
    FirmwareWorkaround = 11,
    OotModule = 12,
    UnsignedModule = 13,
    Softlockup = 14,
    Livepatch = 15,
    Aux = 16,
    Randstruct = 17,
    Test = 18,
    Fwctl = 19,
}

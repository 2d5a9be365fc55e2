namespace NumaSim.Workloads.Kernel;

/// <summary>
/// Everything a scenario asks of the kernel allocators: the caches created at boot, per-CPU
/// kmalloc/kmem_cache/vmalloc streams, a script of individual calls, the slab allocator and its
/// slub_debug option.
/// </summary>
public sealed record KernelWorkload(
    IReadOnlyList<SlabCacheSpec> Caches,
    IReadOnlyList<KernelStream> Streams,
    IReadOnlyList<ScriptStep> Script,
    string Allocator,
    string? SlubDebug)
{
    public static KernelWorkload None { get; } = new([], [], [], "slub", null);

    /// <summary>Whether the run needs the slab front-ends at all.</summary>
    public bool Active => Caches.Count > 0 || Streams.Count > 0 || Script.Count > 0 || SlubDebug is not null;

    /// <summary>vfree flushes every CPU's TLB by IPIs: slab front-ends then talk to CPUs.</summary>
    public bool UsesVmalloc => Streams.Any(s => s.Mix.Any(m => m.Op == KernelOp.Vmalloc)) || Script.Any(s => s.Op == KernelOp.Vmalloc);

    /// <summary>The stream each CPU runs (the last naming a CPU wins), or null.</summary>
    public KernelStream? StreamOf(int cpu) => Streams.LastOrDefault(s => s.Cpus.Contains(cpu));

    /// <summary>
    /// The script steps one CPU's slab front-end runs, in time order (then file order): its own,
    /// and every kmem_cache_destroy, since each front-end holds its own part of every cache.
    /// </summary>
    public IEnumerable<(int Index, ScriptStep Step)> ScriptOf(int cpu) =>
        Script.Select((step, index) => (index, step)).Where(s => s.step.Cpu == cpu || s.step.Op == KernelOp.KmemCacheDestroy);
}

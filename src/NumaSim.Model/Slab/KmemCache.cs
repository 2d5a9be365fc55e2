using System.Numerics;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Slab;

/// <summary>
/// struct kmem_cache: the immutable layout of one SLUB cache as kmem_cache_create computes it
/// (calculate_alignment in mm/slab_common.c, calculate_sizes / kmem_cache_open in mm/slub.c, x86-64 sizes).
/// Object layout, from the slot start: [left red zone: RedLeftPad] object (ObjectSize) [right red zone up to Inuse]
/// [free pointer when outside the object] [2 x struct track] [orig_size for kmalloc] [POISON_INUSE padding];
/// the object address is slot start + RedLeftPad and slots are <see cref="Size"/> bytes apart.
/// SLAB's and SLOB's caches (<see cref="Allocator"/>) are laid out by their own rules (KmemCache.Slab.cs,
/// KmemCache.Slob.cs); the SLUB-only members (free pointer, partial-list sizes) are then 0.
/// </summary>
public sealed partial class KmemCache
{
    /// <summary>MAX_PAGE_ORDER (x86-64).</summary>
    public const int MaxPageOrder = 10;

    /// <summary>cache_line_size() on x86-64.</summary>
    public const int CacheLineSize = 64;

    /// <summary>sizeof(void *).</summary>
    public const int WordSize = 8;

    /// <summary>sizeof(struct track) with CONFIG_STACKDEPOT: addr 8, handle 4, cpu 4, pid 4, (pad 4), when 8.</summary>
    public const int TrackSize = 32;

    /// <summary>MIN_PARTIAL / MAX_PARTIAL: bounds of min_partial.</summary>
    public const int MinPartial = 5;
    public const int MaxPartial = 10;

    /// <summary>SLAB_DEBUG_FLAGS: a cache with any of these takes SLUB's debug paths (no per-CPU slabs).</summary>
    public const SlabFlags DebugFlags =
        SlabFlags.ConsistencyChecks | SlabFlags.RedZone | SlabFlags.Poison | SlabFlags.StoreUser | SlabFlags.Trace;

    private KmemCache(string name, int objectSize, int align, SlabFlags flags, bool hasCtor, int cpus, int nodes, int pageSize, in Sizes sizes)
    {
        Name = name;
        ObjectSize = objectSize;
        Align = align;
        Flags = flags;
        HasCtor = hasCtor;
        Cpus = cpus;
        Nodes = nodes;
        PageSize = pageSize;
        Allocator = SlabAllocatorKind.Slub;
        Size = sizes.Size;
        Inuse = sizes.Inuse;
        FreePointerOffset = sizes.Offset;
        RedLeftPad = sizes.RedLeftPad;
        ObjectPoison = sizes.ObjectPoison;
        Order = sizes.Order;
        ObjectsPerSlab = SlubLayout.ObjectsPerSlab(sizes.Order, sizes.Size, pageSize);
        MinOrder = SlubLayout.GetOrder(sizes.Size, pageSize);
        MinOrderObjects = SlubLayout.ObjectsPerSlab(MinOrder, sizes.Size, pageSize);

        // kmem_cache_open: min_partial = clamp(ilog2(size) / 2, MIN_PARTIAL, MAX_PARTIAL).
        MinPartialSlabs = Math.Max(MinPartial, Math.Min(MaxPartial, BitOperations.Log2((uint)Size) / 2));

        // set_cpu_partial / slub_set_cpu_partial: objects by size class, kept as slabs assumed half full.
        CpuPartialObjects = !HasCpuPartial ? 0 : Size >= pageSize ? 6 : Size >= 1024 ? 24 : Size >= 256 ? 52 : 120;
        CpuPartialSlabs = (CpuPartialObjects * 2 + ObjectsPerSlab - 1) / ObjectsPerSlab;

        var allocFlags = Gfp.Comp;
        if ((flags & SlabFlags.CacheDma) != 0)
        {
            allocFlags |= Gfp.Dma;
        }
        if ((flags & SlabFlags.CacheDma32) != 0)
        {
            allocFlags |= Gfp.Dma32;
        }
        if ((flags & SlabFlags.Reclaimable) != 0)
        {
            allocFlags |= Gfp.Reclaimable;
        }
        AllocFlags = allocFlags;
    }

    /// <summary>A SLAB or SLOB cache: the geometry its allocator computed (KmemCache.Slab.cs, KmemCache.Slob.cs).</summary>
    private KmemCache(string name, int objectSize, int align, SlabFlags flags, bool hasCtor, int cpus, int nodes, int pageSize, in VariantLayout layout)
    {
        Name = name;
        ObjectSize = objectSize;
        Align = align;
        Flags = flags;
        HasCtor = hasCtor;
        Cpus = cpus;
        Nodes = nodes;
        PageSize = pageSize;
        Allocator = layout.Allocator;
        Size = layout.Size;
        Inuse = layout.Size;
        RedLeftPad = layout.ObjOffset;
        ObjectPoison = (flags & SlabFlags.Poison) != 0;
        Order = layout.Order;
        ObjectsPerSlab = layout.Objects;
        MinOrder = layout.Order;
        MinOrderObjects = layout.Objects;
        Tunables = layout.Tunables;
        Management = layout.Management;
        Colour = layout.Colour;
        ColourOff = layout.ColourOff;
        FreelistSize = layout.FreelistSize;
        DebugSlab = layout.DebugSlab;
        AllocFlags = layout.AllocFlags;
    }

    public string Name { get; }

    /// <summary>Which allocator laid the cache out and serves it.</summary>
    public SlabAllocatorKind Allocator { get; }

    /// <summary>SLAB's default tunables (enable_cpucache); all 0 for SLUB and SLOB.</summary>
    public SlabTunables Tunables { get; }

    /// <summary>Where SLAB keeps each slab's freelist; <see cref="SlabManagement.None"/> for SLUB and SLOB.</summary>
    public SlabManagement Management { get; }

    /// <summary>SLAB's cachep->colour: how many colour_off steps of leftover a slab can shift its objects by.</summary>
    public int Colour { get; }

    /// <summary>SLAB's cachep->colour_off: cache_line_size(), or the alignment when larger.</summary>
    public int ColourOff { get; }

    /// <summary>SLAB's cachep->freelist_size: num * sizeof(freelist_idx_t).</summary>
    public int FreelistSize { get; }

    /// <summary>SLAB built with CONFIG_DEBUG_SLAB (its double-free check in slab_put_obj runs even without red zones).</summary>
    internal bool DebugSlab { get; }

    /// <summary>s->object_size: the size the creator asked for.</summary>
    public int ObjectSize { get; }

    /// <summary>s->size: the stride between objects, metadata included (the slabinfo objsize column).</summary>
    public int Size { get; }

    /// <summary>s->align (calculate_alignment).</summary>
    public int Align { get; }

    /// <summary>s->inuse: object plus right red zone, word aligned.</summary>
    public int Inuse { get; }

    /// <summary>s->offset: where the free pointer lives, from the object address.</summary>
    public int FreePointerOffset { get; }

    /// <summary>s->red_left_pad (0 without SLAB_RED_ZONE); under SLAB its obj_offset (8 with red zones): either way
    /// the bytes from the slot start to the object.</summary>
    public int RedLeftPad { get; }

    /// <summary>The flags after slub_debug was applied (kmem_cache_flags).</summary>
    public SlabFlags Flags { get; }

    public bool HasCtor { get; }

    /// <summary>__OBJECT_POISON: SLAB_POISON without a ctor (the object itself is poisoned).</summary>
    public bool ObjectPoison { get; }

    /// <summary>oo_order(s->oo): the preferred slab order.</summary>
    public int Order { get; }

    /// <summary>oo_objects(s->oo).</summary>
    public int ObjectsPerSlab { get; }

    /// <summary>oo_order(s->min) = get_order(size): the fallback order when the preferred one is not available.</summary>
    public int MinOrder { get; }

    public int MinOrderObjects { get; }

    /// <summary>s->min_partial: empty slabs a node keeps on its partial list.</summary>
    public int MinPartialSlabs { get; }

    /// <summary>s->cpu_partial (objects) and s->cpu_partial_slabs; 0 for debug caches.</summary>
    public int CpuPartialObjects { get; }

    public int CpuPartialSlabs { get; }

    /// <summary>s->allocflags: __GFP_COMP plus the zone/reclaimable bits the flags ask for.</summary>
    public Gfp AllocFlags { get; }

    public int Cpus { get; }

    public int Nodes { get; }

    public int PageSize { get; }

    public int PagesPerSlab => 1 << Order;

    public bool Reclaimable => (Flags & SlabFlags.Reclaimable) != 0;

    /// <summary>kmem_cache_debug(s).</summary>
    public bool IsDebug => (Flags & DebugFlags) != 0;

    /// <summary>kmem_cache_has_cpu_partial(s).</summary>
    public bool HasCpuPartial => !IsDebug;

    /// <summary>freeptr_outside_object(s).</summary>
    public bool FreePointerOutsideObject => FreePointerOffset >= Inuse;

    /// <summary>get_info_end(s): the end of object + free pointer.</summary>
    public int InfoEnd => FreePointerOutsideObject ? Inuse + WordSize : Inuse;

    /// <summary>slub_debug_orig_size(s): kmalloc caches with SLAB_STORE_USER record the requested size.</summary>
    public bool TracksOrigSize => (Flags & (SlabFlags.StoreUser | SlabFlags.Kmalloc)) == (SlabFlags.StoreUser | SlabFlags.Kmalloc);

    /// <summary>slab_ksize(s): what ksize() reports for an object of this cache (object_size without SLUB).</summary>
    public int KsizeBytes =>
        Allocator != SlabAllocatorKind.Slub ? ObjectSize
        : (Flags & (SlabFlags.RedZone | SlabFlags.Poison)) != 0 ? ObjectSize
        : (Flags & SlabFlags.StoreUser) != 0 ? Inuse
        : Size;

    /// <summary>size_from_object(s): the slot size seen from the object address (SLUB).</summary>
    internal int SizeFromObject => (Flags & SlabFlags.RedZone) != 0 ? Size - RedLeftPad : Size;

    /// <summary>Debug caches keep the bytes of their slabs (red zones, poison, padding).</summary>
    internal bool KeepsBytes => (Flags & SlubDebugOptions.MetadataFlags) != 0;

    /// <summary>KMALLOC_MAX_SIZE: PAGE_SIZE &lt;&lt; MAX_PAGE_ORDER (4 MiB with 4 KiB pages).</summary>
    public static long MaxObjectSize(int pageSize) => (long)pageSize << MaxPageOrder;

    /// <summary>
    /// kmem_cache_create(name, size, align, flags, ctor): fails with -EINVAL (-22) for size 0, or when the
    /// per-object stride needs a slab above MAX_PAGE_ORDER (calculate_order returns -ENOSYS and kmem_cache_open
    /// turns it into -EINVAL): with 4 KiB pages anything above 4 MiB. <paramref name="cpus"/> is the present CPU
    /// count calculate_order uses; <paramref name="debug"/> is the slub_debug option.
    /// </summary>
    public static KmemCacheCreateResult Create(
        string name, int size, int align, SlabFlags flags, bool hasCtor, int cpus, int nodes, int pageSize,
        SlubDebugOptions? debug = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        CheckMachine(cpus, nodes, pageSize);
        flags = NormalizeFlags(flags);

        // size 0 would divide by zero in calculate_order; kmem_cache_sanity_check (CONFIG_DEBUG_VM) refuses
        // size > KMALLOC_MAX_SIZE; a negative or non-power-of-two align has no meaning for ALIGN().
        if (!IsValidRequest(size, align, pageSize))
        {
            return KmemCacheCreateResult.Fail(name, flags, KmemCacheCreateResult.Einval);
        }
        return Open(name, size, CalculateAlignment(flags, align, size), flags, hasCtor, cpus, nodes, pageSize, debug);
    }

    /// <summary>
    /// create_kmalloc_cache / create_boot_cache: a kmalloc-* cache (SLAB_KMALLOC), aligned to the largest power of
    /// two dividing its size. Boot caches cannot fail for the kmalloc sizes.
    /// </summary>
    public static KmemCache CreateKmalloc(string name, int size, SlabFlags flags, int cpus, int nodes, int pageSize, SlubDebugOptions? debug = null)
    {
        flags |= SlabFlags.Kmalloc;
        var align = Math.Max(WordSize, 1 << BitOperations.TrailingZeroCount(size));
        var result = Open(name, size, CalculateAlignment(flags, align, size), flags, false, cpus, nodes, pageSize, debug);
        return result.Cache ?? throw new InvalidOperationException($"Creation of kmalloc slab {name} size={size} failed. Reason {result.Error}");
    }

    /// <summary>calculate_alignment: SLAB_HWCACHE_ALIGN halves the line while the object fits in half of it.</summary>
    public static int CalculateAlignment(SlabFlags flags, int align, int size)
    {
        if ((flags & (SlabFlags.HwcacheAlign | SlabFlags.MustHwcacheAlign)) != 0)
        {
            var ralign = CacheLineSize;
            while (size <= ralign / 2)
            {
                ralign /= 2;
            }
            align = Math.Max(align, ralign);
        }
        align = Math.Max(align, WordSize); // arch_slab_minalign(): __alignof__(unsigned long long)
        return AlignUp(align, WordSize);
    }

    public override string ToString() => $"{Name} object_size={ObjectSize} size={Size} order={Order} objects={ObjectsPerSlab}";

    private static KmemCacheCreateResult Open(
        string name, int size, int align, SlabFlags flags, bool hasCtor, int cpus, int nodes, int pageSize, SlubDebugOptions? debug)
    {
        // kmem_cache_open: s->flags = kmem_cache_flags(flags, name).
        flags = (debug ?? SlubDebugOptions.None).Apply(flags, name);
        if (!TryCalculateSizes(size, align, flags, hasCtor, cpus, pageSize, out var sizes))
        {
            return KmemCacheCreateResult.Fail(name, flags, KmemCacheCreateResult.Einval);
        }
        if (debug is { DisableHigherOrderDebug: true }
            && SlubLayout.GetOrder(sizes.Size, pageSize) > SlubLayout.GetOrder(size, pageSize))
        {
            flags &= ~SlubDebugOptions.MetadataFlags;
            if (!TryCalculateSizes(size, align, flags, hasCtor, cpus, pageSize, out sizes))
            {
                return KmemCacheCreateResult.Fail(name, flags, KmemCacheCreateResult.Einval);
            }
        }
        return KmemCacheCreateResult.Ok(new KmemCache(name, size, align, flags, hasCtor, cpus, nodes, pageSize, sizes));
    }

    /// <summary>calculate_sizes (CONFIG_SLUB_DEBUG, no KASAN).</summary>
    private static bool TryCalculateSizes(int objectSize, int align, SlabFlags flags, bool hasCtor, int cpus, int pageSize, out Sizes sizes)
    {
        var redZone = (flags & SlabFlags.RedZone) != 0;
        var poison = (flags & SlabFlags.Poison) != 0;
        var storeUser = (flags & SlabFlags.StoreUser) != 0;
        var origSize = storeUser && (flags & SlabFlags.Kmalloc) != 0;

        long size = AlignUp(objectSize, WordSize);
        var objectPoison = poison && !hasCtor;
        if (redZone && size == objectSize)
        {
            size += WordSize;
        }
        var inuse = (int)size;

        int offset;
        if (poison || hasCtor || (redZone && (objectSize < WordSize || origSize)))
        {
            // The free pointer may not overlay the object: put it after the object.
            offset = (int)size;
            size += WordSize;
        }
        else
        {
            // Near the middle of the object, away from small over/underflows.
            offset = objectSize / 2 / WordSize * WordSize;
        }

        if (storeUser)
        {
            size += 2 * TrackSize;
            if ((flags & SlabFlags.Kmalloc) != 0)
            {
                size += sizeof(uint);
            }
        }

        var redLeftPad = 0;
        if (redZone)
        {
            size += WordSize;
            redLeftPad = AlignUp(WordSize, align);
            size += redLeftPad;
        }
        size = AlignUp(size, align);

        sizes = default;
        if (size > int.MaxValue)
        {
            return false;
        }
        var order = SlubLayout.Order((int)size, pageSize, cpus);
        if (order < 0 || order > MaxPageOrder || SlubLayout.ObjectsPerSlab(order, (int)size, pageSize) == 0)
        {
            return false;
        }
        sizes = new Sizes((int)size, inuse, offset, redLeftPad, objectPoison, order);
        return true;
    }

    /// <summary>The flag normalisation every allocator's kmem_cache_create shares: the 2.6 alias and the ignored bit.</summary>
    private static SlabFlags NormalizeFlags(SlabFlags flags)
    {
        if ((flags & SlabFlags.MustHwcacheAlign) != 0)
        {
            flags |= SlabFlags.HwcacheAlign;
        }
        return flags & ~(SlabFlags.MustHwcacheAlign | SlabFlags.NoReap);
    }

    private static void CheckMachine(int cpus, int nodes, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cpus, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 4096);
        if (!BitOperations.IsPow2(pageSize))
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "The page size must be a power of two.");
        }
    }

    /// <summary>kmem_cache_sanity_check and ALIGN()'s domain: size 1 .. KMALLOC_MAX_SIZE, align 0 or a power of two.</summary>
    private static bool IsValidRequest(int size, int align, int pageSize) =>
        size > 0 && size <= MaxObjectSize(pageSize) && align >= 0 && (align == 0 || BitOperations.IsPow2(align));

    private static int AlignUp(int value, int align) => (value + align - 1) / align * align;

    private static long AlignUp(long value, int align) => (value + align - 1) / align * align;

    /// <summary>What a SLAB or SLOB layout hands the constructor (ObjOffset: SLAB's obj_offset, the left red zone).</summary>
    private readonly record struct VariantLayout(
        SlabAllocatorKind Allocator,
        int Size,
        int Order,
        int Objects,
        int ObjOffset,
        SlabManagement Management,
        int Colour,
        int ColourOff,
        int FreelistSize,
        SlabTunables Tunables,
        Gfp AllocFlags,
        bool DebugSlab);

    private readonly record struct Sizes(int Size, int Inuse, int Offset, int RedLeftPad, bool ObjectPoison, int Order);
}

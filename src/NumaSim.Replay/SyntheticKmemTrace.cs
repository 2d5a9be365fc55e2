using System.Globalization;
using NumaSim.Model.Sim;

namespace NumaSim.Replay;

/// <summary>
/// A made-up ftrace kmem trace in steady state, produced line by line as it is read (never held whole): a
/// header, then the six kmem events and a sched_switch now and then, on <c>cpus</c> CPUs, each allocation freed
/// later on whichever CPU, the live pages and objects held near a fixed count. Every bytes_alloc and migratetype
/// is what a 6.x kernel prints for its bytes_req and gfp_flags, so a replay should agree with all of them. The
/// same arguments give the same text. For `numasim bench` and the tests.
/// </summary>
public sealed class SyntheticKmemTrace : TextReader
{
    /// <summary>Header lines before the first event.</summary>
    public const int HeaderLines = 3;

    private const int LiveTarget = 1000;

    private static readonly string[] Header =
        ["# tracer: nop", "#", "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION"];

    /// <summary>(bytes_req, bytes_alloc, gfp_flags) of kmalloc as the kernel traces them (8k and above: a large kmalloc).</summary>
    private static readonly (int Req, int Alloc, string Gfp)[] Kmallocs =
    [
        (8, 8, "GFP_KERNEL"), (13, 16, "GFP_KERNEL"), (32, 32, "GFP_KERNEL_ACCOUNT"), (56, 64, "GFP_KERNEL"),
        (72, 96, "GFP_ATOMIC"), (126, 128, "GFP_KERNEL"), (160, 192, "GFP_KERNEL|__GFP_ZERO"), (200, 256, "GFP_NOWAIT"),
        (500, 512, "GFP_KERNEL_ACCOUNT"), (1000, 1024, "GFP_KERNEL"), (2048, 2048, "GFP_KERNEL"),
        (4000, 4096, "GFP_KERNEL|__GFP_RECLAIMABLE"), (8192, 8192, "GFP_KERNEL"), (12000, 16384, "GFP_KERNEL|__GFP_COMP"),
    ];

    /// <summary>(name, bytes_req, bytes_alloc) of kmem_cache_alloc.</summary>
    private static readonly (string Name, int Req, int Alloc)[] Caches =
        [("vm_area_struct", 184, 192), ("dentry", 192, 192), ("filp", 256, 256), ("anon_vma", 104, 104), ("buffer_head", 104, 104)];

    /// <summary>(gfp_flags, migratetype) of mm_page_alloc.</summary>
    private static readonly (string Gfp, int MigrateType)[] PageGfps =
    [
        ("GFP_HIGHUSER_MOVABLE|__GFP_ZERO", 1), ("GFP_HIGHUSER_MOVABLE", 1), ("GFP_KERNEL", 0),
        ("GFP_KERNEL|__GFP_RECLAIMABLE", 2), ("GFP_NOWAIT|__GFP_NOWARN", 0), ("GFP_KERNEL_ACCOUNT|__GFP_ZERO", 0),
    ];

    private static readonly int[] Orders = [0, 0, 0, 0, 0, 0, 1, 2, 3];

    private readonly long _events;
    private readonly int _cpus;
    private readonly SimRandom _random;
    private readonly List<(ulong Pfn, int Order)> _pages = [];
    private readonly List<ulong> _objects = [];
    private readonly List<(ulong Ptr, string Name)> _cacheObjects = [];
    private ulong _nextPfn = 0x100000;
    private ulong _nextPtr = 0xffff_8881_0000_0000UL;
    private long _timestampUs = 1_000_000_000;
    private long _line;

    /// <param name="events">Event lines after the header.</param>
    /// <param name="seed">Picks the events; the same seed gives the same trace.</param>
    /// <param name="cpus">Traced CPUs.</param>
    public SyntheticKmemTrace(long events, long seed = 1, int cpus = 8)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        ArgumentOutOfRangeException.ThrowIfLessThan(cpus, 1);
        _events = events;
        _cpus = cpus;
        _random = new SimRandom(seed, 0);
    }

    public override string? ReadLine()
    {
        var n = _line;
        if (n >= HeaderLines + _events)
        {
            return null;
        }
        _line++;
        if (n < HeaderLines)
        {
            return Header[n];
        }
        _timestampUs += 1 + _random.Next(3);
        var cpu = _random.Next(_cpus);
        var prefix = string.Create(
            CultureInfo.InvariantCulture,
            $"       stress-ng-{100 + cpu,-5} [{cpu:D3}] d..1. {_timestampUs / 1_000_000}.{_timestampUs % 1_000_000:D6}: ");
        var pick = _random.Next(100);
        return pick < 8 ? prefix + "sched_switch: prev_comm=stress-ng prev_pid=100 prev_prio=120 prev_state=R+ ==> next_comm=swapper/0 next_pid=0 next_prio=120"
            : pick < 40 ? prefix + Kmalloc()
            : pick < 65 ? prefix + KmemCache()
            : prefix + Page();
    }

    public override int Peek() => throw new NotSupportedException("read by line");

    public override int Read() => throw new NotSupportedException("read by line");

    private bool Allocates(int live) => live == 0 || _random.Next(100) < (live < LiveTarget ? 55 : 45);

    private string Kmalloc()
    {
        if (!Allocates(_objects.Count))
        {
            return string.Create(CultureInfo.InvariantCulture, $"kfree: call_site=free_pipe_info+0x9a/0xc0 ptr={Take(_objects):x16}");
        }
        var (req, alloc, gfp) = Kmallocs[_random.Next(Kmallocs.Length)];
        var ptr = NextPtr();
        _objects.Add(ptr);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"kmalloc: call_site=alloc_pipe_info+0x5c/0x1f0 ptr={ptr:x16} bytes_req={req} bytes_alloc={alloc} gfp_flags={gfp} node=-1 accounted={(gfp.Contains("ACCOUNT", StringComparison.Ordinal) ? "true" : "false")}");
    }

    private string KmemCache()
    {
        if (!Allocates(_cacheObjects.Count))
        {
            var (ptr, name) = Take(_cacheObjects);
            return string.Create(CultureInfo.InvariantCulture, $"kmem_cache_free: call_site=rcu_do_batch+0x1b8/0x4f0 ptr={ptr:x16} name={name}");
        }
        var (cache, req, alloc) = Caches[_random.Next(Caches.Length)];
        var p = NextPtr();
        _cacheObjects.Add((p, cache));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"kmem_cache_alloc: call_site=vm_area_alloc+0x1e/0x80 ptr={p:x16} name={cache} bytes_req={req} bytes_alloc={alloc} gfp_flags=GFP_KERNEL node=-1 accounted=false");
    }

    private string Page()
    {
        if (!Allocates(_pages.Count))
        {
            var (pfn, order) = Take(_pages);
            return string.Create(CultureInfo.InvariantCulture, $"mm_page_free: page={PagePointer(pfn):x16} pfn=0x{pfn:x} order={order}");
        }
        var o = Orders[_random.Next(Orders.Length)];
        var size = 1UL << o;
        var at = (_nextPfn + size - 1) & ~(size - 1);
        _nextPfn = at + size;
        _pages.Add((at, o));
        var (gfp, migratetype) = PageGfps[_random.Next(PageGfps.Length)];
        return string.Create(
            CultureInfo.InvariantCulture,
            $"mm_page_alloc: page={PagePointer(at):x16} pfn=0x{at:x} order={o} migratetype={migratetype} gfp_flags={gfp}");
    }

    /// <summary>vmemmap's struct page of a pfn (64 bytes each), as an unhashed trace prints it.</summary>
    private static ulong PagePointer(ulong pfn) => 0xffff_ea00_0000_0000UL + pfn * 64;

    private ulong NextPtr()
    {
        var ptr = _nextPtr;
        _nextPtr += 0x100;
        return ptr;
    }

    /// <summary>Removes and returns a random element (the last one moves into its place).</summary>
    private T Take<T>(List<T> live)
    {
        var i = _random.Next(live.Count);
        var item = live[i];
        live[i] = live[^1];
        live.RemoveAt(live.Count - 1);
        return item;
    }
}

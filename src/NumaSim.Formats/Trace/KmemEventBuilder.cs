using System.Runtime.CompilerServices;

namespace NumaSim.Formats.Trace;

/// <summary>
/// Turns the fields of one kmem line into its event record; pools the strings that repeat.
/// One per parse: not thread-safe.
/// </summary>
internal sealed class KmemEventBuilder
{
    /// <summary>The kmem events the parser reads, as they appear in a garbled line.</summary>
    private static readonly string[] KmemNames =
    [
        "kmalloc", "kmalloc_node", "kmem_cache_alloc", "kmem_cache_alloc_node", "kfree", "kmem_cache_free",
        "mm_page_alloc", "mm_page_free", "mm_page_alloc_zone_locked", "mm_page_pcpu_drain", "mm_page_free_batched",
    ];

    private const int MaxGfpTexts = 4096;

    private readonly StringPool _strings = new();
    private readonly Dictionary<string, ParsedGfp> _gfp = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ParsedGfp>.AlternateLookup<ReadOnlySpan<char>> _gfpLookup;

    public KmemEventBuilder() => _gfpLookup = _gfp.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>How many kmem event names <see cref="KnownIndex"/> knows.</summary>
    public static int KnownCount => KmemNames.Length;

    /// <summary>The index of a kmem event name in <see cref="KmemNames"/>, or -1: no hashing, no string.</summary>
    public static int KnownIndex(ReadOnlySpan<char> name) => name switch
    {
        "kmalloc" => 0,
        "kmalloc_node" => 1,
        "kmem_cache_alloc" => 2,
        "kmem_cache_alloc_node" => 3,
        "kfree" => 4,
        "kmem_cache_free" => 5,
        "mm_page_alloc" => 6,
        "mm_page_free" => 7,
        "mm_page_alloc_zone_locked" => 8,
        "mm_page_pcpu_drain" => 9,
        "mm_page_free_batched" => 10,
        _ => -1,
    };

    public static string KnownName(int index) => KmemNames[index];

    public static KmemEventKind Classify(ReadOnlySpan<char> name) => name switch
    {
        "kmalloc" or "kmalloc_node" => KmemEventKind.Kmalloc,
        "kmem_cache_alloc" or "kmem_cache_alloc_node" => KmemEventKind.KmemCacheAlloc,
        "kfree" => KmemEventKind.Kfree,
        "kmem_cache_free" => KmemEventKind.KmemCacheFree,
        "mm_page_alloc" => KmemEventKind.PageAlloc,
        "mm_page_free" => KmemEventKind.PageFree,
        "mm_page_alloc_zone_locked" or "mm_page_pcpu_drain" or "mm_page_free_batched" => KmemEventKind.PageRepeat,
        _ => KmemEventKind.Other,
    };

    /// <summary>The kmem event a line that is not a well-formed ftrace line seems to hold, or null.</summary>
    public static string? GuessKmemName(ReadOnlySpan<char> line)
    {
        string? best = null;
        foreach (var name in KmemNames)
        {
            var at = line.IndexOf(name, StringComparison.Ordinal);
            var end = at + name.Length;
            if (at >= 0 && (at == 0 || line[at - 1] == ' ') && end < line.Length && line[end] == ':' &&
                (best is null || name.Length > best.Length))
            {
                best = name;
            }
        }
        return best;
    }

    public string Intern(ReadOnlySpan<char> text) => _strings.Get(text);

    private KmemEventHeader Header(string name, in FtraceLine line, long lineNumber) =>
        new(name, _strings.Get(line.Task), line.Pid, line.Cpu, line.TimestampNs, lineNumber);

    /// <summary>
    /// The event, or null with error "" for a well-formed line of a kind that is not yielded, or
    /// null with the error that makes the line malformed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public KmemEvent? Build(KmemEventKind kind, string name, in FtraceLine line, long lineNumber, out string error)
    {
        var f = new KmemFieldReader(line.Fields);
        KmemEvent? built = kind switch
        {
            KmemEventKind.Kmalloc => Kmalloc(ref f, name, line, lineNumber),
            KmemEventKind.KmemCacheAlloc => KmemCacheAlloc(ref f, name, line, lineNumber),
            KmemEventKind.Kfree => Kfree(ref f, name, line, lineNumber),
            KmemEventKind.KmemCacheFree => KmemCacheFree(ref f, name, line, lineNumber),
            KmemEventKind.PageAlloc => PageAlloc(ref f, name, line, lineNumber),
            KmemEventKind.PageFree => PageFree(ref f, name, line, lineNumber),
            _ => null,
        };
        if (kind == KmemEventKind.PageRepeat)
        {
            _ = f.Pointer("page", out _) && f.Pfn("pfn", out _) && Order(ref f, out _);
        }
        error = f.Error;
        return error.Length == 0 ? built : null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private KmallocEvent? Kmalloc(ref KmemFieldReader f, string name, in FtraceLine line, long lineNumber)
    {
        if (!f.Text("call_site", out var callSite) || !f.Pointer("ptr", out var ptr) ||
            !f.Size("bytes_req", out var req) || !f.Size("bytes_alloc", out var alloc) ||
            !Gfp(ref f, out var gfp) || !f.OptionalInt("node", -1, out var node) ||
            !f.OptionalBool("accounted", out var accounted))
        {
            return null;
        }
        return new KmallocEvent
        {
            Header = Header(name, line, lineNumber),
            CallSite = _strings.Get(callSite),
            Ptr = ptr,
            BytesReq = req,
            BytesAlloc = alloc,
            Gfp = gfp.Gfp,
            GfpText = gfp.Text,
            GfpUnknown = gfp.Unknown,
            Node = node,
            Accounted = accounted,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private KmemCacheAllocEvent? KmemCacheAlloc(ref KmemFieldReader f, string name, in FtraceLine line, long lineNumber)
    {
        if (!f.Text("call_site", out var callSite) || !f.Pointer("ptr", out var ptr) ||
            !f.OptionalText("name", out var cache, out var hasCache) ||
            !f.Size("bytes_req", out var req) || !f.Size("bytes_alloc", out var alloc) ||
            !Gfp(ref f, out var gfp) || !f.OptionalInt("node", -1, out var node) ||
            !f.OptionalBool("accounted", out var accounted))
        {
            return null;
        }
        return new KmemCacheAllocEvent
        {
            Header = Header(name, line, lineNumber),
            CallSite = _strings.Get(callSite),
            Ptr = ptr,
            CacheName = hasCache ? _strings.Get(cache) : null,
            BytesReq = req,
            BytesAlloc = alloc,
            Gfp = gfp.Gfp,
            GfpText = gfp.Text,
            GfpUnknown = gfp.Unknown,
            Node = node,
            Accounted = accounted,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private KfreeEvent? Kfree(ref KmemFieldReader f, string name, in FtraceLine line, long lineNumber)
    {
        if (!f.Text("call_site", out var callSite) || !f.Pointer("ptr", out var ptr))
        {
            return null;
        }
        return new KfreeEvent
        {
            Header = Header(name, line, lineNumber),
            CallSite = _strings.Get(callSite),
            Ptr = ptr,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private KmemCacheFreeEvent? KmemCacheFree(ref KmemFieldReader f, string name, in FtraceLine line, long lineNumber)
    {
        if (!f.Text("call_site", out var callSite) || !f.Pointer("ptr", out var ptr) ||
            !f.OptionalText("name", out var cache, out var hasCache))
        {
            return null;
        }
        return new KmemCacheFreeEvent
        {
            Header = Header(name, line, lineNumber),
            CallSite = _strings.Get(callSite),
            Ptr = ptr,
            CacheName = hasCache ? _strings.Get(cache) : null,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private PageAllocEvent? PageAlloc(ref KmemFieldReader f, string name, in FtraceLine line, long lineNumber)
    {
        if (!f.Pointer("page", out var page) || !f.Pfn("pfn", out var pfn) || !Order(ref f, out var order) ||
            !f.Int("migratetype", out var migratetype) || !Gfp(ref f, out var gfp))
        {
            return null;
        }
        return new PageAllocEvent
        {
            Header = Header(name, line, lineNumber),
            Page = page,
            Pfn = pfn,
            Order = order,
            MigrateType = migratetype,
            Gfp = gfp.Gfp,
            GfpText = gfp.Text,
            GfpUnknown = gfp.Unknown,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private PageFreeEvent? PageFree(ref KmemFieldReader f, string name, in FtraceLine line, long lineNumber)
    {
        if (!f.Pointer("page", out var page) || !f.Pfn("pfn", out var pfn) || !Order(ref f, out var order))
        {
            return null;
        }
        return new PageFreeEvent
        {
            Header = Header(name, line, lineNumber),
            Page = page,
            Pfn = pfn,
            Order = order,
        };
    }

    /// <summary>order=%d; how large an order the model supports is for the model to say.</summary>
    private static bool Order(ref KmemFieldReader f, out int order) =>
        f.Int("order", out order) && (order is >= 0 and < 64 || f.Fail($"order={order} is out of range"));

    private bool Gfp(ref KmemFieldReader f, out ParsedGfp gfp)
    {
        gfp = default;
        if (!f.Text("gfp_flags", out var text))
        {
            return false;
        }
        if (_gfpLookup.TryGetValue(text, out gfp))
        {
            return true;
        }
        var s = text.ToString();
        GfpText.TryParse(s, out gfp);
        if (_gfp.Count < MaxGfpTexts)
        {
            _gfp.Add(s, gfp);
        }
        return true;
    }
}

namespace NumaSim.Model.Slab;

/// <summary>
/// The slub_debug= (slab_debug=) boot option as mm/slub.c parses it (setup_slub_debug, parse_slub_debug_flags) and
/// applies it to each new cache (kmem_cache_flags). Blocks are separated by ';'; a block is option letters,
/// optionally followed by ",cache1,cache2" (a '*' ends a prefix glob). A block without a cache list sets the global
/// flags; a cache named in a block gets that block's flags instead of the global ones.
/// Letters: F consistency checks, Z red zone, P poison, U store user, T trace, A failslab (accepted, not modelled),
/// O no debug on caches whose minimum order it would raise, '-' clears.
/// </summary>
public sealed class SlubDebugOptions
{
    /// <summary>DEBUG_DEFAULT_FLAGS: what "slub_debug" without options, or ",cache" without letters, turns on.</summary>
    public const SlabFlags DefaultFlags =
        SlabFlags.ConsistencyChecks | SlabFlags.RedZone | SlabFlags.Poison | SlabFlags.StoreUser;

    /// <summary>DEBUG_METADATA_FLAGS: the flags 'O' drops from caches whose minimum order they would raise.</summary>
    public const SlabFlags MetadataFlags = SlabFlags.RedZone | SlabFlags.Poison | SlabFlags.StoreUser;

    private readonly List<(SlabFlags Flags, string[] Caches)> _blocks;
    private readonly List<string> _warnings;

    private SlubDebugOptions(SlabFlags global, List<(SlabFlags, string[])> blocks, bool disableHigherOrder, List<string> warnings)
    {
        GlobalFlags = global;
        _blocks = blocks;
        DisableHigherOrderDebug = disableHigherOrder;
        _warnings = warnings;
    }

    /// <summary>No slub_debug option (CONFIG_SLUB_DEBUG_ON off).</summary>
    public static SlubDebugOptions None { get; } = new(SlabFlags.None, [], false, []);

    /// <summary>The flags every cache not named in a block gets.</summary>
    public SlabFlags GlobalFlags { get; }

    /// <summary>disable_higher_order_debug ('O').</summary>
    public bool DisableHigherOrderDebug { get; }

    /// <summary>The "slab_debug option 'x' unknown. skipped" lines the boot parse prints.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>
    /// Parses the text after "slub_debug": null means the option is absent; "" (bare "slub_debug") switches on
    /// full debugging; "FPZU", "FZ,kmalloc-64", "P,dentry;U,kmalloc-*" as the kernel documents them. A leading '='
    /// is accepted.
    /// </summary>
    public static SlubDebugOptions Parse(string? value)
    {
        if (value is null)
        {
            return None;
        }
        if (value.StartsWith('='))
        {
            value = value[1..];
        }
        if (value.Length == 0)
        {
            return new SlubDebugOptions(DefaultFlags, [], false, []);
        }

        var global = DefaultFlags;
        var globalChanged = false;
        var disableHigherOrder = false;
        var list = new List<(SlabFlags, string[])>();
        var warnings = new List<string>();
        var pos = 0;
        while (pos >= 0 && pos < value.Length)
        {
            pos = ParseBlock(value, pos, out var flags, out var caches, out var higherOrder, warnings);
            disableHigherOrder |= higherOrder;
            if (caches is null)
            {
                global = flags;
                globalChanged = true;
            }
            else
            {
                list.Add((flags, caches));
            }
        }
        // A list of caches alone leaves the global flags as they were (off without CONFIG_SLUB_DEBUG_ON).
        if (list.Count > 0 && !globalChanged)
        {
            global = SlabFlags.None;
        }
        return new SlubDebugOptions(global, list, disableHigherOrder, warnings);
    }

    /// <summary>kmem_cache_flags: the flags a cache named <paramref name="name"/> ends up with.</summary>
    public SlabFlags Apply(SlabFlags flags, string name)
    {
        foreach (var (blockFlags, caches) in _blocks)
        {
            foreach (var pattern in caches)
            {
                var glob = pattern.IndexOf('*', StringComparison.Ordinal);
                var match = glob >= 0
                    ? name.StartsWith(pattern[..glob], StringComparison.Ordinal)
                    : string.Equals(name, pattern, StringComparison.Ordinal);
                if (match)
                {
                    return flags | blockFlags;
                }
            }
        }
        return flags | GlobalFlags;
    }

    /// <summary>parse_slub_debug_flags: one ';'-delimited block; returns where the next block starts (-1 at the end).</summary>
    private static int ParseBlock(string text, int pos, out SlabFlags flags, out string[]? caches, out bool higherOrder, List<string> warnings)
    {
        higherOrder = false;
        while (pos < text.Length && text[pos] == ';')
        {
            pos++;
        }
        if (pos < text.Length && text[pos] == ',')
        {
            // No options but a list of caches: full debugging for those.
            flags = DefaultFlags;
        }
        else
        {
            flags = SlabFlags.None;
            for (; pos < text.Length && text[pos] != ',' && text[pos] != ';'; pos++)
            {
                switch (char.ToLowerInvariant(text[pos]))
                {
                    case '-': flags = SlabFlags.None; break;
                    case 'f': flags |= SlabFlags.ConsistencyChecks; break;
                    case 'z': flags |= SlabFlags.RedZone; break;
                    case 'p': flags |= SlabFlags.Poison; break;
                    case 'u': flags |= SlabFlags.StoreUser; break;
                    case 't': flags |= SlabFlags.Trace; break;
                    case 'a': break; // SLAB_FAILSLAB: fault injection, not modelled.
                    case 'o': higherOrder = true; break;
                    default: warnings.Add($"slab_debug option '{text[pos]}' unknown. skipped"); break;
                }
            }
        }

        caches = null;
        if (pos < text.Length && text[pos] == ',')
        {
            var end = text.IndexOf(';', pos);
            var listText = end < 0 ? text[(pos + 1)..] : text[(pos + 1)..end];
            caches = listText.Split(',', StringSplitOptions.RemoveEmptyEntries);
            pos = end < 0 ? text.Length : end;
        }
        while (pos < text.Length && text[pos] == ';')
        {
            pos++;
        }
        return pos < text.Length ? pos : -1;
    }
}

using System.Globalization;
using System.Text;

namespace NumaSim.Formats.Proc;

/// <summary>
/// What procps-ng `slabtop --once` prints for a slabinfo file: the summary block, the headings and one line per
/// cache, sorted by a <see cref="SlabtopSortKey"/>. Formats and arithmetic follow procps-ng 4.0:
/// <list type="bullet">
/// <item>src/slabtop.c print_summary: " %-35s: %u / %u (%.1f%%)" for objects, slabs and caches,
/// " %-35s: %.2fK / %.2fK (%.1f%%)" for the size, " %-35s: %.2fK / %.2fK / %.2fK\n\n" for the object sizes, each
/// percentage 100.0 * active / total in double (0 / 0 prints "-nan").</item>
/// <item>print_headings: "%-78s\n" of "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME".</item>
/// <item>print_details: "%6u %6u %3u%% %7.2fK %6u %8u %9luK %-23s\n" of num_objs, active_objs, use, objsize / 1024.0,
/// num_slabs, objperslab, cache_size / 1024, name.</item>
/// <item>library/slabinfo.c parse_slabinfo20: use = (unsigned)(100 * ((float)active_objs / num_objs)), 0 for an empty
/// cache; cache_size = num_slabs * pagesperslab * getpagesize(); active caches are those with objects; totals are
/// unsigned int (object and slab counts) or unsigned long (sizes); the minimum object size starts at INT_MAX;
/// the average is total size / objects, 0 without objects.</item>
/// <item>procps_slabinfo_sort: qsort_r, which glibc runs as a merge sort, so equal keys keep the file's order;
/// names compare with strcoll, here in the C locale (byte order).</item>
/// </list>
/// </summary>
public static class SlabtopRenderer
{
    public const int DefaultPageSize = 4096;

    public const string Headings = "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME";

    /// <summary>slabtop's sort letters and their keys, in the order its usage lists them.</summary>
    public static IReadOnlyList<(char Letter, SlabtopSortKey Key)> SortLetters { get; } =
    [
        ('a', SlabtopSortKey.ActiveObjects),
        ('b', SlabtopSortKey.ObjectsPerSlab),
        ('c', SlabtopSortKey.CacheSize),
        ('l', SlabtopSortKey.Slabs),
        ('v', SlabtopSortKey.ActiveSlabs),
        ('n', SlabtopSortKey.Name),
        ('o', SlabtopSortKey.Objects),
        ('p', SlabtopSortKey.PagesPerSlab),
        ('s', SlabtopSortKey.ObjectSize),
        ('u', SlabtopSortKey.Utilization),
    ];

    /// <summary>The key of a sort letter, upper or lower case, as set_sort_stuff reads it.</summary>
    public static bool TryParseSortLetter(char letter, out SlabtopSortKey key)
    {
        var lower = char.ToLowerInvariant(letter);
        foreach (var (l, k) in SortLetters)
        {
            if (l == lower)
            {
                key = k;
                return true;
            }
        }
        key = SlabtopSortKey.Objects;
        return false;
    }

    /// <summary>The summary, the headings and every cache: exactly `slabtop --once`.</summary>
    public static string Render(IReadOnlyList<SlabinfoRow> rows, SlabtopSortKey sort = SlabtopSortKey.Objects, int pageSize = DefaultPageSize)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        AppendSummary(sb, rows);
        sb.Append(CultureInfo.InvariantCulture, $"{Headings,-78}\n");
        foreach (var cache in Sorted(rows, sort, pageSize))
        {
            AppendDetails(sb, cache);
        }
        return sb.ToString();
    }

    /// <summary>The summary block, ending with its blank line.</summary>
    public static string RenderSummary(IReadOnlyList<SlabinfoRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        AppendSummary(sb, rows);
        return sb.ToString();
    }

    /// <summary>The first <paramref name="count"/> detail lines in <paramref name="sort"/> order, without headings.</summary>
    public static string RenderDetails(IReadOnlyList<SlabinfoRow> rows, SlabtopSortKey sort, int pageSize, int count)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        foreach (var cache in Sorted(rows, sort, pageSize).Take(count))
        {
            AppendDetails(sb, cache);
        }
        return sb.ToString();
    }

    /// <summary>One cache as slabtop holds it: unsigned int counts, unsigned long cache size.</summary>
    private readonly record struct Cache(
        string Name, uint Objects, uint Active, uint ObjectSize, uint PerSlab, uint PagesPerSlab, uint Slabs, uint ActiveSlabs,
        uint Use, ulong CacheSize);

    private static IEnumerable<Cache> Sorted(IReadOnlyList<SlabinfoRow> rows, SlabtopSortKey sort, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        var caches = rows.Select(r => ToCache(r, pageSize));
        // OrderBy and OrderByDescending are stable, as glibc's merge sort is.
        return sort switch
        {
            SlabtopSortKey.Name => caches.OrderBy(c => c.Name, StringComparer.Ordinal),
            SlabtopSortKey.ActiveObjects => caches.OrderByDescending(c => c.Active),
            SlabtopSortKey.ObjectsPerSlab => caches.OrderByDescending(c => c.PerSlab),
            SlabtopSortKey.CacheSize => caches.OrderByDescending(c => c.CacheSize),
            SlabtopSortKey.Slabs => caches.OrderByDescending(c => c.Slabs),
            SlabtopSortKey.ActiveSlabs => caches.OrderByDescending(c => c.ActiveSlabs),
            SlabtopSortKey.PagesPerSlab => caches.OrderByDescending(c => c.PagesPerSlab),
            SlabtopSortKey.ObjectSize => caches.OrderByDescending(c => c.ObjectSize),
            SlabtopSortKey.Utilization => caches.OrderByDescending(c => c.Use),
            _ => caches.OrderByDescending(c => c.Objects),
        };
    }

    private static Cache ToCache(SlabinfoRow r, int pageSize)
    {
        // sscanf's %u keeps the low 32 bits.
        var objects = unchecked((uint)r.NumObjects);
        var active = unchecked((uint)r.ActiveObjects);
        var pagesPerSlab = unchecked((uint)r.PagesPerSlab);
        var slabs = unchecked((uint)r.NumSlabs);
        var use = objects == 0 ? 0u : (uint)(100f * ((float)active / objects));
        return new Cache(
            r.Name, objects, active, unchecked((uint)r.ObjectSize), unchecked((uint)r.ObjectsPerSlab), pagesPerSlab, slabs,
            unchecked((uint)r.ActiveSlabs), use, (ulong)slabs * pagesPerSlab * (ulong)pageSize);
    }

    private static void AppendSummary(StringBuilder sb, IReadOnlyList<SlabinfoRow> rows)
    {
        uint objects = 0, active = 0, slabs = 0, activeSlabs = 0, caches = 0, activeCaches = 0, max = 0;
        uint min = int.MaxValue;
        ulong totalSize = 0, activeSize = 0;
        foreach (var cache in rows.Select(r => ToCache(r, DefaultPageSize)))
        {
            min = Math.Min(min, cache.ObjectSize);
            max = Math.Max(max, cache.ObjectSize);
            if (cache.Objects != 0)
            {
                activeCaches++;
            }
            unchecked
            {
                objects += cache.Objects;
                active += cache.Active;
                totalSize += (ulong)cache.Objects * cache.ObjectSize;
                activeSize += (ulong)cache.Active * cache.ObjectSize;
                slabs += cache.Slabs;
                activeSlabs += cache.ActiveSlabs;
                caches++;
            }
        }
        var average = objects == 0 ? 0u : unchecked((uint)(totalSize / objects));

        static string Percent(double part, double whole) => PrintfFixed.Format(100.0 * part / whole, 1);
        static string Kb(double bytes) => PrintfFixed.Format(bytes / 1024.0, 2);
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $" {"Active / Total Objects (% used)",-35}: {active} / {objects} ({Percent(active, objects)}%)\n");
        sb.Append(inv, $" {"Active / Total Slabs (% used)",-35}: {activeSlabs} / {slabs} ({Percent(activeSlabs, slabs)}%)\n");
        sb.Append(inv, $" {"Active / Total Caches (% used)",-35}: {activeCaches} / {caches} ({Percent(activeCaches, caches)}%)\n");
        sb.Append(inv, $" {"Active / Total Size (% used)",-35}: {Kb(activeSize)}K / {Kb(totalSize)}K ({Percent(activeSize, totalSize)}%)\n");
        sb.Append(inv, $" {"Minimum / Average / Maximum Object",-35}: {Kb(min)}K / {Kb(average)}K / {Kb(max)}K\n\n");
    }

    private static void AppendDetails(StringBuilder sb, Cache c) =>
        sb.Append(CultureInfo.InvariantCulture,
            $"{c.Objects,6} {c.Active,6} {c.Use,3}% {PrintfFixed.Format(c.ObjectSize / 1024.0, 2),7}K {c.Slabs,6} {c.PerSlab,8} {c.CacheSize / 1024,9}K {c.Name,-23}\n");
}

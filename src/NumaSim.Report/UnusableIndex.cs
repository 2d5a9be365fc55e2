using System.Globalization;

namespace NumaSim.Report;

/// <summary>
/// The kernel's unusable free space index (mm/vmstat.c, debugfs extfrag/unusable_index): of a zone's free pages, the
/// fraction that sits in blocks smaller than an order, so cannot serve an allocation of that order. In thousandths,
/// truncated as the kernel's integer division truncates; no free memory at all counts as all unusable (1.000).
/// </summary>
public static class UnusableIndex
{
    /// <param name="freeBlocksByOrder">Free blocks of each order (buddyinfo's row).</param>
    public static int Thousandths(IReadOnlyList<long> freeBlocksByOrder, int order)
    {
        ArgumentNullException.ThrowIfNull(freeBlocksByOrder);
        ArgumentOutOfRangeException.ThrowIfNegative(order);
        long free = 0;
        long suitable = 0;
        for (var o = 0; o < freeBlocksByOrder.Count; o++)
        {
            var pages = freeBlocksByOrder[o] << o;
            free += pages;
            if (o >= order)
            {
                suitable += pages;
            }
        }
        return free == 0 ? 1000 : (int)((free - suitable) * 1000 / free);
    }

    /// <summary>As the kernel prints it: "%d.%03d".</summary>
    public static string Format(int thousandths) =>
        string.Create(CultureInfo.InvariantCulture, $"{thousandths / 1000}.{thousandths % 1000:D3}");

    /// <summary>One zone's line of extfrag/unusable_index, each index followed by a space: "Node 0, zone   Normal 0.000 0.012 ".</summary>
    public static string Line(int node, string zone, IReadOnlyList<long> freeBlocksByOrder)
    {
        ArgumentNullException.ThrowIfNull(freeBlocksByOrder);
        return string.Create(CultureInfo.InvariantCulture, $"Node {node}, zone {zone,8} ")
            + string.Concat(Enumerable.Range(0, freeBlocksByOrder.Count).Select(o => Format(Thousandths(freeBlocksByOrder, o)) + " "));
    }
}

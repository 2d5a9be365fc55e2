using NumaSim.Model.Mmu;
using NumaSim.Model.Vmalloc;

namespace NumaSim.Model.Tests.Vmalloc;

/// <summary>
/// What the actor side will do around a <see cref="VmallocArea"/>: reserve, fetch the pages (here from a counter,
/// data pages on node pfn % 2, table pages from their own range) and map them.
/// </summary>
public sealed class VmallocHarness
{
    public const long TablePfnBase = 1L << 30;

    private long _nextPfn = 0x1000;
    private long _nextTablePfn = TablePfnBase;

    public VmallocHarness(VmallocRange? range = null, PagingMode? mode = null, int possibleCpus = 1)
    {
        Area = new VmallocArea(range ?? VmallocRange.X86_64_4Level, new PageTable(mode ?? PagingMode.X86_64_4Level, rootPfn: 1, rootNode: 0), possibleCpus);
    }

    public VmallocArea Area { get; }

    public long PageSize => Area.Mode.PageSize;

    public static int NodeOf(long pfn) => (int)(pfn % 2);

    /// <summary>The next n data pages, alternating between nodes 0 and 1.</summary>
    public long[] Pages(int n)
    {
        var pages = new long[n];
        for (var i = 0; i < n; i++)
        {
            pages[i] = _nextPfn++;
        }
        return pages;
    }

    public List<(long Pfn, int Node)> Tables(int n) => [.. Enumerable.Range(0, n).Select(_ => (_nextTablePfn++, 0))];

    /// <summary>vmalloc: reserve, get the pages and the tables, map.</summary>
    public VmArea Vmalloc(long size, string caller = "numasim_vmalloc+0x1c/0x40")
    {
        var area = Area.Reserve(size, caller) ?? throw new InvalidOperationException($"no room for {size} bytes");
        Area.Map(area, Pages(area.NrPages), NodeOf, Tables(Area.TablesNeeded(area)));
        return area;
    }

    public Pte? Walk(ulong address) => Area.PageTable.Walk(Area.Vpn(address), []);
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.Lru;
using NumaSim.Model.Reclaim;
using NumaSim.Model.Stats;

namespace NumaSim.Model.Tests.Lru;

/// <summary>One operation on a lruvec: add, free, access, age or evict a batch.</summary>
public sealed record LruOp(int Kind, int Pfn, bool File, bool Fault, bool Huge)
{
    public override string ToString() => Kind switch
    {
        0 => $"add {Pfn} {(File ? "file" : "anon")}{(Fault ? " fault" : "")}{(Huge ? " huge" : "")}",
        1 => $"remove {Pfn}",
        2 => $"access {Pfn}",
        3 => "age",
        _ => "evict",
    };
}

/// <summary>
/// Whatever mix of adds, frees, accesses, agings and evictions: every page is on exactly one list, the lists add
/// up, each type keeps between MIN_NR_GENS and MAX_NR_GENS generations, and only clean file pages are evicted.
/// </summary>
public sealed class LruvecProperties
{
    private sealed class Host : IReclaimHost
    {
        public List<long> Freed { get; } = [];

        public bool IsMapped(long pfn) => false;

        public bool RemoveFromPageCache(long pfn, long shadow) => true;

        // No swap here: anonymous folios are never isolated.
        public long AddToSwap(long pfn) => -1;

        public bool TryToUnmap(long pfn, long slot) => false;

        public bool RemoveFromSwapCache(long pfn, long shadow) => false;

        public void Free(long pfn) => Freed.Add(pfn);
    }

    private static Gen<LruOp> Op =>
        from kind in Gen.Frequency((6, Gen.Constant(0)), (2, Gen.Constant(1)), (2, Gen.Constant(2)), (1, Gen.Constant(3)), (2, Gen.Constant(4)))
        from pfn in Gen.Choose(0, 60)
        from file in Gen.Elements(true, false)
        from fault in Gen.Elements(true, false)
        from huge in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new LruOp(kind, pfn, file, fault, huge);

    [Property(MaxTest = 300)]
    public Property Every_page_is_on_one_list_and_the_generations_stay_in_bounds() =>
        Prop.ForAll(Op.ListOf().Select(l => l.ToArray()).ToArbitrary(), ops =>
        {
            var lru = new Lruvec(0);
            var host = new Host();
            var stat = new ReclaimStat(new VmEventCounters());
            var pages = new Dictionary<long, (bool File, long Pages)>();
            foreach (var op in ops)
            {
                // Huge folios sit at multiples of 512 so they never overlap base pages.
                long pfn = op.Huge ? 100_000 + op.Pfn * 512 : op.Pfn;
                switch (op.Kind)
                {
                    case 0 when !pages.ContainsKey(pfn):
                        lru.Add(pfn, 1, op.File ? LruType.File : LruType.Anon, op.Huge ? 9 : 0, op.Fault ? LruAdd.Fault : LruAdd.Cold);
                        pages[pfn] = (op.File, op.Huge ? 512 : 1);
                        break;
                    case 1 when pages.Remove(pfn):
                        lru.Remove(pfn);
                        break;
                    case 2:
                        lru.MarkAccessed(pfn);
                        break;
                    case 3:
                        lru.IncMaxSeq(canSwap: false);
                        break;
                    case 4:
                        var before = host.Freed.Count;
                        lru.EvictFolios(new ScanControl { Reclaimer = Reclaimer.Kswapd, NrToReclaim = 64, ReclaimIdx = 3, Priority = 6 }, 0, host, stat);
                        foreach (var freed in host.Freed.Skip(before))
                        {
                            if (!pages.Remove(freed, out var page) || !page.File)
                            {
                                return false.Label($"evicted {freed}, which was not a file page on the list");
                            }
                        }
                        break;
                }
                var onLists = lru.Size(LruList.InactiveAnon) + lru.Size(LruList.ActiveAnon) + lru.Size(LruList.InactiveFile) + lru.Size(LruList.ActiveFile);
                var expected = pages.Values.Sum(p => p.Pages);
                if (onLists != expected)
                {
                    return false.Label($"after {op}: lists hold {onLists} pages, {expected} were added and not freed");
                }
                var anon = lru.Size(LruList.InactiveAnon) + lru.Size(LruList.ActiveAnon);
                if (anon != pages.Values.Where(p => !p.File).Sum(p => p.Pages))
                {
                    return false.Label($"after {op}: anonymous lists hold {anon}");
                }
                foreach (var type in new[] { LruType.Anon, LruType.File })
                {
                    if (lru.NrGens(type) < Lruvec.MinNrGens || lru.NrGens(type) > Lruvec.MaxNrGens)
                    {
                        return false.Label($"after {op}: {type} holds {lru.NrGens(type)} generations");
                    }
                }
                if (pages.Keys.Any(p => !lru.Contains(p)))
                {
                    return false.Label($"after {op}: a page that was added is not on a list");
                }
            }
            return true.ToProperty();
        });
}

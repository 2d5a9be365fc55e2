using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.Filemap;
using NumaSim.Model.Lru;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Tests.Swap;

/// <summary>One step of a task on a small machine with swap: touch a range of its anonymous area, read a file, or age node 0.</summary>
public sealed record SwapOp(int Kind, int First, int Pages, bool Write, bool Bind)
{
    public override string ToString() => Kind switch
    {
        0 => $"touch [{First}, {First + Pages}) {(Write ? "write" : "read")}{(Bind ? " bound" : "")}",
        1 => $"read file {First} of {Pages} pages{(Bind ? " bound" : "")}",
        _ => "age node 0",
    };
}

/// <summary>
/// Whatever a task touches, reads and ages with swap on: every page is free or on one LRU list, every anonymous
/// page is mapped or out in swap, and the swap slots in use are those page tables name plus those only the swap
/// cache holds.
/// </summary>
public sealed class SwapProperties
{
    private const long Pages = 2048;

    private static Gen<SwapOp> Op =>
        from kind in Gen.Frequency((6, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)))
        from first in Gen.Choose(0, 4000)
        from pages in Gen.Choose(1, 1500)
        from write in Gen.Elements(true, false)
        from bind in Gen.Elements(true, false)
        select new SwapOp(kind, first, pages, write, bind);

    [Property(MaxTest = 60)]
    public Property Pages_and_swap_slots_are_conserved() =>
        Prop.ForAll(Op.ListOf().Select(l => l.Take(12).ToArray()).ToArbitrary(), ops =>
        {
            var t = Machines.TwoNodeNormal(Pages);
            var cache = new PageCacheMachine(new MachineTopology(t.Name, t.Arch, t.Nodes, t.Distance, t.Vm) { SwapBytes = 4L << 20 }, swappiness: 100);
            var files = new List<FileMapping>();
            var touched = new HashSet<long>();
            foreach (var op in ops)
            {
                var policy = op.Bind ? new MemPolicy(MemPolicyMode.Bind, [0]) : MemPolicy.Default;
                switch (op.Kind)
                {
                    case 0:
                        var got = cache.TouchAnon(0, op.First, op.Pages, policy, op.Write);
                        for (var vpn = op.First; vpn < op.First + got; vpn++)
                        {
                            touched.Add(vpn);
                        }
                        break;
                    case 1:
                        var file = new FileMapping(files.Count + 1, $"f{files.Count}", op.Pages);
                        files.Add(file);
                        cache.ReadFile(0, file, (long)op.Pages << 12, policy);
                        break;
                    default:
                        cache.Lruvec(0).IncMaxSeq(canSwap: true);
                        break;
                }
            }
            cache.Pages.DrainAllPcp();
            var free = cache.Pages.Zones.Sum(z => z.View.FreePages);
            long Lru(LruList list) => cache.Lruvec(0).Size(list) + cache.Lruvec(1).Size(list);
            var lruAnon = Lru(LruList.ActiveAnon) + Lru(LruList.InactiveAnon);
            var lruFile = Lru(LruList.ActiveFile) + Lru(LruList.InactiveFile);
            var mapped = cache.AnonPages(0) + cache.AnonPages(1);
            // A folio in the swap cache is mapped (read back) or not (written out, waiting to be freed).
            var cachedUnmapped = lruAnon - mapped;
            return (lruAnon + lruFile + free == 2 * Pages).Label($"lru {lruAnon}+{lruFile} free {free}")
                .And((lruFile == files.Sum(f => f.NrPages)).Label($"file lru {lruFile} cached {files.Sum(f => f.NrPages)}"))
                .And((mapped + cache.SwappedOut == touched.Count).Label($"mapped {mapped} swapped {cache.SwappedOut} touched {touched.Count}"))
                .And((cachedUnmapped >= 0 && cachedUnmapped <= cache.Swap.CachedPages).Label($"cached unmapped {cachedUnmapped} of {cache.Swap.CachedPages}"))
                .And((cache.Swap.InusePages == cache.SwappedOut + cache.Swap.CachedPages - cachedUnmapped).Label($"inuse {cache.Swap.InusePages}"))
                .And((cache.Swap.CachedPages == cache.Swap.CachedPagesOn(0) + cache.Swap.CachedPagesOn(1)).Label("swapcache by node"))
                .And((cache.Event(VmEventItem.Pswpin) == cache.Event(VmEventItem.Pgmajfault)).Label("pswpin = pgmajfault"))
                .Classify(cache.Event(VmEventItem.Pswpin) > 0, "swapped in").Classify(cache.Event(VmEventItem.Pswpout) > 0, "swapped out");
        });
}

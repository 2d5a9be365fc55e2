using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.Lru;
using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;
using NumaSim.Model.Tests.Support;

namespace NumaSim.Model.Tests.Mmu;

/// <summary>One step of a task: an access (a read maps the zero page, a write a page of its own) or munmap of a range.</summary>
public sealed record AnonOp(bool Unmap, int First, int Pages, bool Write)
{
    public override string ToString() => Unmap ? $"munmap [{First}, {First + Pages})" : $"{(Write ? "write" : "read")} {First}";
}

/// <summary>
/// Whatever a task touches and unmaps, in base or huge pages: every anonymous page a fault maps is on its node's LRU
/// exactly once, and an unmapped one is on none (the LRU's anonymous pages are NR_ANON_MAPPED on every node).
/// </summary>
public sealed class AnonLruProperties
{
    private const int AreaPages = 2048;
    private const int HugePages = 512;

    private static Gen<AnonOp> Op =>
        from unmap in Gen.Frequency((1, Gen.Constant(true)), (8, Gen.Constant(false)))
        from first in Gen.Choose(0, AreaPages - 1)
        from pages in Gen.Choose(1, 600)
        from write in Gen.Elements(true, true, false)
        select new AnonOp(unmap, first, Math.Min(pages, AreaPages - first), write);

    [Property(MaxTest = 60)]
    public Property Every_mapped_anonymous_page_is_on_its_nodes_lru_once() =>
        Prop.ForAll(Op.ListOf().Select(l => l.Take(40).ToArray()).ToArbitrary(), Gen.Elements(true, false).ToArbitrary(), (ops, thp) =>
        {
            var machine = new FaultMachine(Machines.TwoNodeNormal(), LatencyModel.Default, TlbConfig.Default);
            var task = new MmTask(1, MemPolicy.Default);
            machine.CreateMm(0, task);
            var start = machine.Mmap(0, task, (long)AreaPages << 12, new MemPolicy(MemPolicyMode.Interleave, [0, 1]), thp);
            foreach (var op in ops)
            {
                if (op.Unmap && thp)
                {
                    // Huge pages are unmapped whole (splitting them is not modelled).
                    machine.UnmapAndRemap(0, task, start + (op.First / HugePages * HugePages), HugePages, thp: true);
                }
                else if (op.Unmap)
                {
                    machine.UnmapAndRemap(0, task, start + op.First, op.Pages);
                }
                else
                {
                    machine.Access(0, task, start + op.First, op.Write);
                }
            }
            var ok = true;
            var labels = new List<string>();
            for (var node = 0; node < 2; node++)
            {
                var lru = machine.Lruvec(node).Size(LruList.ActiveAnon) + machine.Lruvec(node).Size(LruList.InactiveAnon);
                var mapped = machine.Cpu(0).NodeStats.Snapshot()[node][NodeStatItem.NrAnonPages];
                ok &= lru == mapped;
                labels.Add($"node {node}: lru {lru} mapped {mapped}");
            }
            return ok.Label(string.Join(", ", labels));
        });
}

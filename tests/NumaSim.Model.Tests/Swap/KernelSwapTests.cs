using NumaSim.Model.Filemap;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;
using Xunit.Abstractions;

namespace NumaSim.Model.Tests.Swap;

/// <summary>
/// The swap experiment run on Linux 6.12 under QEMU (the fidelity machine, 2 nodes of 512 MiB, a 1 GiB swap disk
/// on virtio-blk, vm.swappiness 60), repeated on the same boot's snapshot: a task on CPU 0 bound to node 0 touches
/// 768 MiB and holds it. The kernel's figures are the run less the state just before it.
/// </summary>
public sealed class KernelSwapTests(ITestOutputHelper output)
{
    /// <summary>The boot of the swap run (zoneinfo just before the task).</summary>
    private static readonly Machines.FidelityBoot SwapOutBoot = new(
        124815, 124815 - 120485, [922, 13], new ZoneMarks(6202, 7752, 9302, 10852), 118804, 118804 - 112219, [2539, 613], new ZoneMarks(5800, 7250, 8700, 10150));

    [Fact]
    public void Touching_768_MiB_bound_to_a_512_MiB_node_swaps_out_what_does_not_fit_and_scans_each_page_twice()
    {
        // Kernel: pswpout 83,678, pgsteal_anon 81,900, pgscan_anon 161,329, pgrotated 77,619, SwapFree 708,672 kB
        // of 1,048,572 (84,975 slots in use), nr_swapcached 1,788, no OOM kill, no file pages reclaimed.
        var t = Machines.FidelityTwoNode(SwapOutBoot);
        var cache = new PageCacheMachine(new MachineTopology(t.Name, t.Arch, t.Nodes, t.Distance, t.Vm) { SwapBytes = 1L << 30 });

        var got = cache.TouchAnon(0, 768 * 256, new MemPolicy(MemPolicyMode.Bind, [0]));

        var pswpout = cache.Event(VmEventItem.Pswpout);
        var steal = cache.Event(VmEventItem.PgstealAnon);
        var scan = cache.Event(VmEventItem.PgscanAnon);
        output.WriteLine($"pswpout {pswpout} (kernel 83678), pgsteal_anon {steal} (81900), pgscan_anon {scan} (161329), " +
            $"pgrotated {cache.Event(VmEventItem.Pgrotated)} (77619), swap in use {cache.Swap.InusePages} (84975), " +
            $"swap cache {cache.Swap.CachedPages} (1788), pgsteal_file {cache.Event(VmEventItem.PgstealFile)} (0)");
        Assert.Equal(768 * 256, got);
        // The issue asks 25 % on pages reclaimed; the model is within 5 % (no readahead, no young bits: the
        // kernel swaps a few hundred pages back in while the task still touches, and keeps some in the swap cache).
        Assert.InRange(pswpout, 83_678 * 95 / 100, 83_678 * 105 / 100);
        Assert.InRange(steal, 81_900 * 95 / 100, 81_900 * 105 / 100);
        Assert.InRange(scan, 161_329 * 95 / 100, 161_329 * 105 / 100);
        Assert.InRange(cache.Swap.InusePages, 84_975 * 95 / 100, 84_975 * 105 / 100);
        Assert.Equal(0, cache.Event(VmEventItem.PgstealFile));
    }
}

using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Filemap;

/// <summary>The allocation slow path's reclaim steps, driven by a scripted kernel.</summary>
public sealed class SlowpathStepTests
{
    /// <summary>Direct reclaim "frees" pages the test holds onto CPU 1's per-CPU list, where CPU 0 cannot see them.</summary>
    private sealed class Scripted(List<long> held) : ISlowpath
    {
        public PageAllocatorMachine? Machine { get; set; }
        public int Wakes { get; private set; }
        public int Reclaims { get; private set; }
        public int OomCalls { get; private set; }

        public void WakeKswapds(IReadOnlyList<int> nodes, int order, int highestZoneIdx) => Wakes++;

        public long DirectReclaim(int cpu, IReadOnlyList<int> nodes, Gfp gfp, int order, int highestZoneIdx)
        {
            Reclaims++;
            var zone = ZoneIndex.Of(0, ZoneType.Normal);
            var freed = Math.Min(32, held.Count);
            for (var i = 0; i < freed; i++)
            {
                Machine!.Free(1, zone, held[^1], 0, MigrateType.Movable);
                held.RemoveAt(held.Count - 1);
            }
            return freed;
        }

        public long Reclaimable(int zone) => held.Count;

        public void NodeReclaim(int cpu, int node, Gfp gfp, int order, int highestZoneIdx)
        {
        }

        public bool OutOfMemory(int cpu, AllocationRequest request)
        {
            OomCalls++;
            return false;
        }
    }

    [Fact]
    public void Pages_reclaimed_onto_another_cpus_list_are_drained_back_before_the_allocation_gives_up()
    {
        var held = new List<long>();
        var kernel = new Scripted(held);
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal(), kernel);
        kernel.Machine = machine;
        var bind0 = new AllocationRequest(0, Gfp.HighUserMovable, new MemPolicy(MemPolicyMode.Bind, [0]));

        // Fill node 0 until the slow path has to reclaim; every page taken is "reclaimable" by the script.
        while (kernel.Reclaims == 0)
        {
            var (pfn, _) = machine.Allocate(0, bind0);
            Assert.True(pfn >= 0, "an allocation failed although reclaim freed pages");
            held.Add(pfn);
        }

        Assert.True(kernel.Wakes > 0);
        Assert.Equal(0, machine.Cpu(1).Pcp(ZoneIndex.Of(0, ZoneType.Normal)).Count);
        Assert.Equal(0, kernel.OomCalls);
    }

    [Fact]
    public void With_nothing_left_to_reclaim_the_slow_path_calls_the_oom_killer_once_per_attempt()
    {
        var held = new List<long>();
        var kernel = new Scripted(held);
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal(), kernel);
        kernel.Machine = machine;
        var bind0 = new AllocationRequest(0, Gfp.HighUserMovable, new MemPolicy(MemPolicyMode.Bind, [0]));

        long pfn;
        do
        {
            (pfn, _) = machine.Allocate(0, bind0);
        }
        while (pfn >= 0);

        Assert.Equal(1, kernel.OomCalls);
        Assert.True(kernel.Reclaims >= 1);
        Assert.True(machine.Cpu(0).Events[NumaSim.Model.Stats.VmEventItem.AllocstallMovable] >= 1);
    }
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Machine;

/// <summary>allocate(cpu, order, gfp, policy) or free(allocated[index]) from some CPU.</summary>
public sealed record MachineOp(bool IsAlloc, int Cpu, int Order, int GfpIndex, int PolicyIndex, int Index)
{
    public override string ToString() => IsAlloc
        ? $"cpu{Cpu}:alloc(o{Order},{GfpFlags.Format(MachineProperties.Gfps[GfpIndex])},{MachineProperties.Policies[PolicyIndex]})"
        : $"cpu{Cpu}:free(#{Index})";
}

public sealed record MachineScenario(IReadOnlyList<MachineOp> Ops, int Seed)
{
    public override string ToString() => $"seed={Seed} ops=[{string.Join(' ', Ops)}]";
}

/// <summary>The buddy invariants seen through the whole allocator, per-CPU lists included.</summary>
public sealed class MachineProperties
{
    internal static readonly Gfp[] Gfps =
    [
        Gfp.Kernel,
        Gfp.HighUserMovable,
        Gfp.Kernel | Gfp.Reclaimable,
        Gfp.Atomic,
        Gfp.NoWait,
        Gfp.Kernel | Gfp.Dma32,
        Gfp.Kernel | Gfp.Dma,
        Gfp.Kernel | Gfp.ThisNode,
    ];

    internal static readonly MemPolicy[] Policies =
    [
        MemPolicy.Default,
        new(MemPolicyMode.Preferred, [1]),
        new(MemPolicyMode.Bind, [1]),
        new(MemPolicyMode.Bind, [0]),
        new(MemPolicyMode.Interleave, [0, 1]),
    ];

    private static Arbitrary<MachineScenario> Scenarios =>
        (from count in Gen.Choose(0, 250)
         from ops in Gen.Frequency(
                 (3, from cpu in Gen.Choose(0, 3)
                     from order in Gen.Frequency((8, Gen.Choose(0, 3)), (1, Gen.Elements(4, 9, 10)))
                     from gfp in Gen.Choose(0, Gfps.Length - 1)
                     from policy in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(1, Policies.Length - 1)))
                     select new MachineOp(true, cpu, order, gfp, policy, 0)),
                 (2, from cpu in Gen.Choose(0, 3)
                     from index in Gen.Choose(0, 1 << 20)
                     select new MachineOp(false, cpu, 0, 0, 0, index)))
             .ArrayOf(count)
         from seed in Gen.Choose(0, int.MaxValue)
         select new MachineScenario(ops, seed)).ToArbitrary();

    [Property(MaxTest = 60)]
    public Property Buddy_free_plus_pcp_pages_plus_allocated_pages_equal_managed_in_every_zone() =>
        Prop.ForAll(Scenarios, s =>
        {
            var h = new MachineHarness(Machines.MixedTwoNode());
            foreach (var op in s.Ops)
            {
                h.Apply(op);
                h.CheckAccounting();
            }
        });

    [Property(MaxTest = 60)]
    public Property Allocations_respect_the_gfp_zone_limit_the_bind_mask_and_thisnode() =>
        Prop.ForAll(Scenarios, s =>
        {
            // MachineHarness.Apply checks each allocation against its request.
            var h = new MachineHarness(Machines.MixedTwoNode());
            foreach (var op in s.Ops)
            {
                h.Apply(op);
            }
        });

    [Property(MaxTest = 60)]
    public Property Freeing_everything_and_draining_the_pcp_lists_restores_boot_buddyinfo() =>
        Prop.ForAll(Scenarios, s =>
        {
            var h = new MachineHarness(Machines.MixedTwoNode());
            foreach (var op in s.Ops)
            {
                h.Apply(op);
            }
            var random = new Random(s.Seed);
            while (h.Allocated.Count > 0)
            {
                h.FreeAt(random.Next(h.Allocated.Count), random.Next(4));
            }
            h.CheckAccounting();
            h.Machine.DrainAllPcp();
            foreach (var zone in h.Machine.Zones)
            {
                var index = zone.Setup.Index;
                Assert.All(h.Machine.Setup.Topology.AllCpus, cpu => Assert.Equal(0, h.Machine.Cpu(cpu).Pcp(index).Count));
                Assert.Equal(zone.Setup.Spec.Managed, zone.Buddy.FreePages);
                var boot = new BuddyZone(zone.Setup.Spec, Architecture.X86_64);
                Assert.Equal(Machines.BuddyInfo(boot), Machines.BuddyInfo(zone.Buddy));
            }
        });
}

internal sealed class MachineHarness
{
    private readonly Dictionary<int, bool[]> _taken = [];
    private readonly Dictionary<int, long> _allocatedPages = [];

    public MachineHarness(MachineTopology topology)
    {
        Machine = new PageAllocatorMachine(topology);
        foreach (var zone in Machine.Zones)
        {
            _taken[zone.Setup.Index] = new bool[zone.Setup.Spec.Spanned];
            _allocatedPages[zone.Setup.Index] = 0;
        }
    }

    public PageAllocatorMachine Machine { get; }

    public List<(long Pfn, int Zone, int Order, MigrateType Type)> Allocated { get; } = [];

    public void Apply(MachineOp op)
    {
        if (op.IsAlloc)
        {
            Allocate(op.Cpu, new AllocationRequest(op.Order, MachineProperties.Gfps[op.GfpIndex], MachineProperties.Policies[op.PolicyIndex]));
        }
        else if (Allocated.Count > 0)
        {
            FreeAt(op.Index % Allocated.Count, op.Cpu);
        }
    }

    public void Allocate(int cpu, AllocationRequest request)
    {
        var (pfn, zone) = Machine.Allocate(cpu, request);
        if (pfn < 0)
        {
            Assert.Equal(-1, zone);
            return;
        }
        var spec = Machine.Zone(zone).Setup.Spec;
        var node = ZoneIndex.Node(zone);
        var size = 1L << request.Order;
        Assert.True(ZoneIndex.Type(zone) <= request.Gfp.HighestZone(), $"{GfpFlags.Format(request.Gfp)} got a page from {ZoneIndex.Type(zone)}");
        if (request.Policy.Mode == MemPolicyMode.Bind)
        {
            Assert.Contains(node, request.Policy.Nodes);
        }
        if ((request.Gfp & Gfp.ThisNode) != 0)
        {
            var expected = request.Policy.Mode switch
            {
                MemPolicyMode.Preferred => request.Policy.Nodes[0],
                MemPolicyMode.Default or MemPolicyMode.Local => Machine.Setup.Topology.NodeOfCpu(cpu),
                _ => node,
            };
            Assert.Equal(expected, node);
        }
        Assert.True((pfn & (size - 1)) == 0, $"block {pfn:x} of order {request.Order} is not aligned");
        Assert.True(pfn >= spec.EndPfn - spec.Managed && pfn + size <= spec.EndPfn, $"block {pfn:x} outside the managed part of {spec}");
        Assert.True(Machine.Zone(zone).Buddy.IsAllocatedHead(pfn, request.Order));
        var taken = _taken[zone];
        for (var p = pfn; p < pfn + size; p++)
        {
            Assert.False(taken[p - spec.StartPfn], $"page {p:x} handed out twice");
            taken[p - spec.StartPfn] = true;
        }
        _allocatedPages[zone] += size;
        Allocated.Add((pfn, zone, request.Order, request.Gfp.MigrateType()));
    }

    public void FreeAt(int index, int cpu)
    {
        var (pfn, zone, order, type) = Allocated[index];
        Allocated[index] = Allocated[^1];
        Allocated.RemoveAt(Allocated.Count - 1);
        Assert.True(Machine.Free(cpu, zone, pfn, order, type), $"Free({pfn:x}, order {order}) from cpu {cpu} returned false");
        var spec = Machine.Zone(zone).Setup.Spec;
        for (var p = pfn; p < pfn + (1L << order); p++)
        {
            _taken[zone][p - spec.StartPfn] = false;
        }
        _allocatedPages[zone] -= 1L << order;
    }

    public void CheckAccounting()
    {
        foreach (var zone in Machine.Zones)
        {
            var index = zone.Setup.Index;
            var onPcp = Machine.Setup.Topology.AllCpus.Sum(cpu => (long)Machine.Cpu(cpu).Pcp(index).Count);
            Assert.Equal(zone.Setup.Spec.Managed, zone.Buddy.FreePages + onPcp + _allocatedPages[index]);
        }
    }
}

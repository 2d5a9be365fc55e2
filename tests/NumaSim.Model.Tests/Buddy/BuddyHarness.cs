using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Buddy;

public enum BuddyOpKind
{
    Allocate,
    Free,
    BadFree,
}

/// <summary>One generated step: allocate(order, migratetype), free(allocated[index]) or a free that must be refused.</summary>
public sealed record BuddyOp(BuddyOpKind Kind, int Order, int Type, int Index)
{
    public override string ToString() => Kind switch
    {
        BuddyOpKind.Allocate => $"alloc(o{Order},{(MigrateType)Type})",
        BuddyOpKind.Free => $"free(#{Index})",
        _ => $"bad-free(v{Type},#{Index},o{Order})",
    };
}

public sealed record BuddyScenario(ZoneSpec Spec, IReadOnlyList<BuddyOp> Ops, int Seed)
{
    public override string ToString() =>
        $"{Spec} seed={Seed} ops=[{string.Join(' ', Ops)}]";
}

[Flags]
public enum BuddyChecks
{
    None = 0,
    /// <summary>Blocks never overlap, are naturally aligned, lie in [EndPfn - Managed, EndPfn), stay allocated heads.</summary>
    Placement = 1,
    /// <summary>free + allocated == managed; free == sum of blocks on the free lists.</summary>
    Accounting = 2,
    /// <summary>An allocation fails only when no free block of that order or above exists.</summary>
    FailOnlyWhenEmpty = 4,
    /// <summary>Pageblock counts sum to the pageblocks of the present part.</summary>
    Pageblocks = 8,
    All = Placement | Accounting | FailOnlyWhenEmpty | Pageblocks,
}

/// <summary>Drives a BuddyZone and keeps the test's own record of what is allocated.</summary>
public sealed class BuddyHarness
{
    private readonly bool[] _taken;
    private readonly BuddyChecks _checks;
    private readonly List<(long Pfn, int Order)> _freed = [];

    public BuddyHarness(ZoneSpec spec, BuddyChecks checks)
    {
        Spec = spec;
        Zone = new BuddyZone(spec, Architecture.X86_64);
        BootBuddyInfo = Machines.BuddyInfo(Zone);
        _taken = new bool[spec.Spanned];
        _checks = checks;
        CheckInvariants();
    }

    public ZoneSpec Spec { get; }
    public BuddyZone Zone { get; }
    public long[] BootBuddyInfo { get; }
    public List<(long Pfn, int Order)> Allocated { get; } = [];
    public long AllocatedPages { get; private set; }

    public static BuddyHarness Run(BuddyScenario scenario, BuddyChecks checks)
    {
        var h = new BuddyHarness(scenario.Spec, checks);
        foreach (var op in scenario.Ops)
        {
            h.Apply(op);
        }
        return h;
    }

    public void Apply(BuddyOp op)
    {
        switch (op.Kind)
        {
            case BuddyOpKind.Allocate:
                Allocate(op.Order, (MigrateType)op.Type);
                break;
            case BuddyOpKind.Free when Allocated.Count > 0:
                FreeAt(op.Index % Allocated.Count);
                break;
            case BuddyOpKind.BadFree:
                BadFree(op);
                break;
        }
    }

    public long Allocate(int order, MigrateType type)
    {
        var before = Zone.FreePages;
        var pfn = Zone.Allocate(order, type);
        if (pfn < 0)
        {
            Assert.Equal(before, Zone.FreePages);
            if (_checks.HasFlag(BuddyChecks.FailOnlyWhenEmpty))
            {
                for (var o = order; o < Zone.Orders; o++)
                {
                    Assert.True(Zone.FreeBlocksAtOrder(o) == 0, $"allocation of order {order} ({type}) failed with {Zone.FreeBlocksAtOrder(o)} free blocks of order {o}");
                }
            }
            CheckInvariants();
            return pfn;
        }
        var size = 1L << order;
        if (_checks.HasFlag(BuddyChecks.Placement))
        {
            Assert.True((pfn & (size - 1)) == 0, $"block {pfn:x} of order {order} is not naturally aligned");
            Assert.True(pfn >= Spec.EndPfn - Spec.Managed && pfn + size <= Spec.EndPfn,
                $"block [{pfn:x}, {pfn + size:x}) is outside the managed part [{Spec.EndPfn - Spec.Managed:x}, {Spec.EndPfn:x})");
            for (var p = pfn; p < pfn + size; p++)
            {
                Assert.False(_taken[p - Spec.StartPfn], $"page {p:x} handed out twice (block {pfn:x} order {order})");
            }
            Assert.True(Zone.IsAllocatedHead(pfn, order));
        }
        for (var p = pfn; p < pfn + size; p++)
        {
            _taken[p - Spec.StartPfn] = true;
        }
        if (_checks.HasFlag(BuddyChecks.Accounting))
        {
            Assert.Equal(before - size, Zone.FreePages);
        }
        Allocated.Add((pfn, order));
        AllocatedPages += size;
        CheckInvariants();
        return pfn;
    }

    public void FreeAt(int index)
    {
        var (pfn, order) = Allocated[index];
        Allocated[index] = Allocated[^1];
        Allocated.RemoveAt(Allocated.Count - 1);
        var before = Zone.FreePages;
        Assert.True(Zone.Free(pfn, order), $"Free({pfn:x}, {order}) of an allocated block returned false");
        for (var p = pfn; p < pfn + (1L << order); p++)
        {
            _taken[p - Spec.StartPfn] = false;
        }
        AllocatedPages -= 1L << order;
        _freed.Add((pfn, order));
        if (_checks.HasFlag(BuddyChecks.Accounting))
        {
            Assert.Equal(before + (1L << order), Zone.FreePages);
        }
        CheckInvariants();
    }

    public void FreeAll(Random random)
    {
        while (Allocated.Count > 0)
        {
            FreeAt(random.Next(Allocated.Count));
        }
    }

    /// <summary>Takes every free page: the largest blocks first, down to order 0, as Movable (which may steal from any type).</summary>
    public void Exhaust()
    {
        for (var order = Zone.MaxOrder; order >= 0; order--)
        {
            while (Allocate(order, MigrateType.Movable) >= 0)
            {
            }
        }
    }

    /// <summary>A (pfn, order) that is not a live allocated block, chosen by the op; null when the op has nothing to pick.</summary>
    public (long Pfn, int Order)? PickBadFree(BuddyOp op)
    {
        (long Pfn, int Order)? candidate = null;
        switch (op.Type)
        {
            case 0 when Allocated.Count > 0:
            {
                // An allocated head freed with another order.
                var (pfn, order) = Allocated[op.Index % Allocated.Count];
                candidate = (pfn, (order + 1 + op.Order % Zone.MaxOrder) % (Zone.MaxOrder + 1));
                break;
            }
            case 1 when Allocated.Count > 0:
            {
                // A page inside an allocated block that is not its head.
                var (pfn, order) = Allocated[op.Index % Allocated.Count];
                if (order > 0)
                {
                    candidate = (pfn + 1 + op.Index % ((1L << order) - 1), order);
                }
                break;
            }
            case 2 when _freed.Count > 0:
                // A block freed before (a double free).
                candidate = _freed[op.Index % _freed.Count];
                break;
            case 3:
                // Just outside the zone.
                candidate = (op.Index % 2 == 0 ? Spec.StartPfn - 1 : Spec.EndPfn, op.Order);
                break;
            case 4:
                // Any page of the span, holes and reserved pages included.
                candidate = (Spec.StartPfn + op.Index % Spec.Spanned, op.Order);
                break;
        }
        // The head and order of a live block would be a valid free, not a bad one.
        return candidate is { } c && !Allocated.Contains(c) ? c : null;
    }

    private void BadFree(BuddyOp op)
    {
        if (PickBadFree(op) is not { } bad)
        {
            return;
        }
        var free = Zone.FreePages;
        var types = Machines.PageTypeInfo(Zone);
        var blocks = Zone.PageblocksByType();
        Assert.False(Zone.Free(bad.Pfn, bad.Order), $"Free({bad.Pfn:x}, {bad.Order}) of a block that is not allocated returned true");
        Assert.Equal(free, Zone.FreePages);
        Assert.Equal(types, Machines.PageTypeInfo(Zone));
        Assert.Equal(blocks, Zone.PageblocksByType());
        foreach (var (pfn, order) in Allocated)
        {
            Assert.True(Zone.IsAllocatedHead(pfn, order));
        }
        CheckInvariants();
    }

    private void CheckInvariants()
    {
        if (_checks.HasFlag(BuddyChecks.Accounting))
        {
            Assert.Equal(Spec.Managed, Zone.FreePages + AllocatedPages);
            Assert.Equal(Zone.FreePages, Machines.PagesOnFreeLists(Zone));
        }
        if (_checks.HasFlag(BuddyChecks.Pageblocks))
        {
            Assert.Equal(Machines.PresentPageblocks(Spec, Zone.PageblockOrder), Zone.PageblocksByType().Sum());
        }
    }
}

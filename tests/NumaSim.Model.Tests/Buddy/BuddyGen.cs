using FsCheck;
using FsCheck.Fluent;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Tests.Buddy;

/// <summary>Generators of small zones and operation sequences for the buddy properties.</summary>
public static class BuddyGen
{
    /// <summary>Normal zones at 4096 + offset (aligned and odd), 1..20000 pages, present &lt;= spanned, managed &lt;= present.</summary>
    public static Gen<ZoneSpec> Zones =>
        from offset in Gen.Frequency(
            (3, Gen.Choose(0, 2047)),
            (2, Gen.Elements(0, 1, 3, 255, 511, 512, 513, 1023, 1024, 1025)))
        from spanned in Gen.Frequency(
            (3, Gen.Choose(1, 20000)),
            (1, Gen.Choose(1, 64)),
            (1, Gen.Elements(512, 1024, 2048, 4096, 4097, 16384)))
        from present in Gen.Frequency((4, Gen.Constant(spanned)), (4, Gen.Choose(0, spanned)), (1, Gen.Constant(0)))
        from managed in Gen.Frequency((4, Gen.Constant(present)), (4, Gen.Choose(0, present)), (1, Gen.Constant(0)))
        select new ZoneSpec(ZoneType.Normal, 4096 + offset, spanned, present, managed);

    public static Gen<BuddyOp> Ops(bool withBadFrees) =>
        Gen.Frequency(
            (5, from order in Gen.Frequency((4, Gen.Choose(0, 3)), (2, Gen.Choose(4, 10)))
                from type in Gen.Choose(0, 2)
                select new BuddyOp(BuddyOpKind.Allocate, order, type, 0)),
            (3, from index in Gen.Choose(0, 1 << 20)
                select new BuddyOp(BuddyOpKind.Free, 0, 0, index)),
            (withBadFrees ? 2 : 0,
                from variant in Gen.Choose(0, 4)
                from index in Gen.Choose(0, 1 << 20)
                from order in Gen.Choose(0, 10)
                select new BuddyOp(BuddyOpKind.BadFree, order, variant, index)));

    public static Arbitrary<BuddyScenario> Scenarios(bool withBadFrees = false) =>
        (from spec in Zones
         from count in Gen.Choose(0, 150)
         from ops in Ops(withBadFrees).ArrayOf(count)
         from seed in Gen.Choose(0, int.MaxValue)
         select new BuddyScenario(spec, ops, seed)).ToArbitrary();
}

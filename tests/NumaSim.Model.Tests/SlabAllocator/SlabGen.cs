using FsCheck;
using FsCheck.Fluent;

namespace NumaSim.Model.Tests.SlabAllocator;

public static class SlabGen
{
    public static Gen<SlabOp> Ops(Gen<long> sizes) =>
        Gen.Frequency(
            (6, from cpu in Gen.Choose(0, 3)
                from node in Gen.Elements(-1, -1, 0, 1)
                from thisNode in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
                from size in sizes
                select new SlabOp(SlabOpKind.Alloc, cpu, node, thisNode, 0, size)),
            (5, from cpu in Gen.Choose(0, 3)
                from index in Gen.Choose(0, 1 << 20)
                select new SlabOp(SlabOpKind.Free, cpu, -1, false, index, 0)),
            (1, Gen.Elements(
                new SlabOp(SlabOpKind.Flush, 0, -1, false, 0, 0),
                new SlabOp(SlabOpKind.Shrink, 0, -1, false, 0, 0))));

    public static Arbitrary<SlabScenario> Scenarios() =>
        (from size in Gen.Elements(8, 24, 64, 100, 200, 1000, 3000)
         from debug in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
         from budget in Gen.Frequency((3, Gen.Constant(1L << 16)), (1, Gen.Choose(0, 24).Select(x => (long)x)))
         from count in Gen.Choose(0, 400)
         from ops in Ops(Gen.Constant(0L)).ArrayOf(count)
         from seed in Gen.Choose(0, int.MaxValue)
         select new SlabScenario(size, debug, budget, ops, seed)).ToArbitrary();

    public static Arbitrary<SlabScenario> KmallocScenarios() =>
        (from debug in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
         from count in Gen.Choose(0, 300)
         from ops in Ops(Gen.Frequency(
                 (6, Gen.Choose(0, 300).Select(x => (long)x)),
                 (3, Gen.Choose(0, 8192).Select(x => (long)x)),
                 (1, Gen.Choose(8193, 70000).Select(x => (long)x)))).ArrayOf(count)
         from seed in Gen.Choose(0, int.MaxValue)
         select new SlabScenario(0, debug, 1L << 16, ops, seed)).ToArbitrary();
}

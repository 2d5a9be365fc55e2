using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.PageAlloc;
using Xunit;

namespace NumaSim.Model.Tests.Buddy;

public sealed record BitmapScenario(long Bits, IReadOnlyList<(bool Set, long Index)> Ops)
{
    public override string ToString() => $"bits={Bits} ops=[{string.Join(' ', Ops.Select(o => (o.Set ? "+" : "-") + o.Index))}]";
}

/// <summary>HierarchicalBitmap against a SortedSet under random Set/Clear.</summary>
public sealed class HierarchicalBitmapProperties
{
    private static Arbitrary<BitmapScenario> Scenarios =>
        (from bits in Gen.Elements(1L, 2L, 63L, 64L, 65L, 4095L, 4096L, 4097L, 262_144L, 262_149L, 1_000_003L)
         let window = (int)Math.Min(bits, 200)
         from count in Gen.Choose(0, 300)
         from ops in (
             from set in Gen.Frequency((3, Gen.Constant(true)), (2, Gen.Constant(false)))
             from index in Gen.OneOf(
                 Gen.Choose(0, (int)bits - 1).Select(i => (long)i),
                 Gen.Choose(0, window - 1).Select(i => (long)i),
                 Gen.Choose(0, window - 1).Select(i => bits - 1 - i),
                 // Around the 64- and 4096-bit word boundaries of the summary levels.
                 Gen.Elements(63L, 64L, 4095L, 4096L, 262_143L, 262_144L).Select(i => i % bits))
             select (set, index)).ArrayOf(count)
         select new BitmapScenario(bits, ops)).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property FindFirst_returns_the_lowest_set_bit_after_any_sets_and_clears() =>
        Prop.ForAll(Scenarios, s =>
        {
            var bitmap = new HierarchicalBitmap(s.Bits);
            var reference = new SortedSet<long>();
            Assert.Equal(-1, bitmap.FindFirst());
            foreach (var (set, index) in s.Ops)
            {
                if (set)
                {
                    bitmap.Set(index);
                    reference.Add(index);
                }
                else
                {
                    bitmap.Clear(index);
                    reference.Remove(index);
                }
                Assert.Equal(reference.Count == 0 ? -1 : reference.Min, bitmap.FindFirst());
                Assert.Equal(reference.Count, bitmap.Count);
                Assert.Equal(set, bitmap.IsSet(index));
            }
            // Emptying in ascending order walks FindFirst through every remaining bit.
            foreach (var index in reference)
            {
                Assert.Equal(index, bitmap.FindFirst());
                bitmap.Clear(index);
            }
            Assert.Equal(-1, bitmap.FindFirst());
            Assert.Equal(0, bitmap.Count);
        });

    [Fact]
    public void Setting_or_clearing_twice_counts_once()
    {
        var bitmap = new HierarchicalBitmap(10_000);
        bitmap.Set(4097);
        bitmap.Set(4097);
        Assert.Equal(1, bitmap.Count);
        bitmap.Clear(4097);
        bitmap.Clear(4097);
        Assert.Equal(0, bitmap.Count);
        Assert.Equal(-1, bitmap.FindFirst());
    }
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.Mmu;
using Xunit;

namespace NumaSim.Model.Tests.Mmu;

/// <summary>One write to a leaf: which index, and what kind of entry goes there.</summary>
public sealed record PteLeafOp(int Kind, int Index, int Pfn)
{
    public override string ToString() => Kind switch
    {
        0 => $"run {Index}",
        1 => $"other-run {Index}",
        2 => $"clear {Index}",
        3 => $"flags {Index}",
        4 => $"swap {Index}",
        _ => $"any {Index}={Pfn}",
    };
}

/// <summary>A run-compressed last-level table reads back exactly what a plain array of entries holds.</summary>
public sealed class PteLeafProperties
{
    private const int Entries = 64;

    private static readonly PteFlags Rw = PteFlags.Present | PteFlags.Read | PteFlags.Write | PteFlags.User;

    private static Gen<PteLeafOp> Op =>
        from kind in Gen.Frequency((8, Gen.Constant(0)), (2, Gen.Constant(1)), (3, Gen.Constant(2)), (2, Gen.Constant(3)), (1, Gen.Constant(4)), (1, Gen.Constant(5)))
        from index in Gen.Choose(0, Entries - 1)
        from pfn in Gen.Choose(0, 4)
        select new PteLeafOp(kind, index, pfn);

    private static Pte Entry(PteLeafOp op, Pte current) => op.Kind switch
    {
        0 => new Pte(1000 + op.Index, 2, Rw),
        1 => new Pte(5000 + op.Index, 3, Rw),
        2 => default,
        3 => current with { Flags = current.Flags ^ PteFlags.ProtNone },
        4 => Pte.SwapEntry(700 + op.Index),
        _ => new Pte(op.Pfn, 0, PteFlags.Present | PteFlags.Special),
    };

    [Property(MaxTest = 500)]
    public Property Every_entry_reads_back_as_the_array_holds_it() =>
        Prop.ForAll(Op.ListOf().Select(l => l.ToArray()).ToArbitrary(), ops =>
        {
            var leaf = new PteLeaf(Entries);
            var model = new Pte[Entries];
            foreach (var op in ops)
            {
                var pte = Entry(op, model[op.Index]);
                leaf[op.Index] = pte;
                model[op.Index] = pte;
                for (var i = 0; i < Entries; i++)
                {
                    if (leaf[i] != model[i])
                    {
                        return false.Label($"after {op}: entry {i} is {leaf[i]}, the array holds {model[i]}");
                    }
                }
            }
            return true.ToProperty();
        });

    [Fact]
    public void A_table_mapped_in_order_is_one_run()
    {
        var leaf = new PteLeaf(512);

        for (var i = 0; i < 512; i++)
        {
            leaf[i] = new Pte(77_000 + i, 5, Rw);
        }

        Assert.Equal(1, leaf.Runs);
        Assert.Equal(new Pte(77_300, 5, Rw), leaf[300]);
    }

    [Fact]
    public void A_flag_change_in_the_middle_splits_the_run_and_changing_it_back_joins_it()
    {
        var leaf = new PteLeaf(512);
        for (var i = 0; i < 512; i++)
        {
            leaf[i] = new Pte(77_000 + i, 5, Rw);
        }

        leaf[100] = new Pte(77_100, 5, Rw | PteFlags.ProtNone);
        Assert.Equal(3, leaf.Runs);

        leaf[100] = new Pte(77_100, 5, Rw);
        Assert.Equal(1, leaf.Runs);
    }

    [Fact]
    public void Entries_with_no_pattern_make_the_table_dense()
    {
        var leaf = new PteLeaf(512);

        for (var i = 0; i < 512; i += 2)
        {
            leaf[i] = new Pte(9, 0, PteFlags.Present | PteFlags.Special);
        }

        Assert.True(leaf.Dense);
        Assert.Equal(new Pte(9, 0, PteFlags.Present | PteFlags.Special), leaf[510]);
        Assert.Equal(default, leaf[511]);
    }
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.Lru;
using Xunit;

namespace NumaSim.Model.Tests.Lru;

/// <summary>One list operation: add at the head or tail of list 0 or 1, or remove the n-th folio on the lists.</summary>
public sealed record FolioListOp(int Kind, int List, long Pfn, int Part)
{
    public override string ToString() => Kind switch
    {
        0 => $"head{List} {Pfn}",
        1 => $"tail{List} {Pfn}",
        _ => $"remove #{Pfn}",
    };
}

/// <summary>Lists kept as runs of pfns hold every folio in the order a plain linked list would, with its own bits.</summary>
public sealed class FolioListProperties
{
    private static readonly ushort[] ListStates = [FolioLruState.Make(0, LruType.Anon, 0), FolioLruState.Make(2, LruType.File, 3)];

    // Pfns near 0 and around the 64 Ki chunk boundary, so runs form, split and meet chunk edges.
    private static Gen<FolioListOp> Op =>
        from kind in Gen.Frequency((4, Gen.Constant(0)), (2, Gen.Constant(1)), (3, Gen.Constant(2)))
        from list in Gen.Choose(0, 1)
        from pfn in Gen.OneOf(Gen.Choose(0, 30), Gen.Choose(65_530, 65_540))
        from part in Gen.Choose(0, 15)
        select new FolioListOp(kind, list, pfn, part);

    [Property(MaxTest = 500)]
    public Property Lists_keep_the_order_and_bits_of_a_linked_list() =>
        Prop.ForAll(Op.ListOf().Select(l => l.ToArray()).ToArbitrary(), ops => Mismatch(ops) is { } why ? false.Label(why) : true.ToProperty());

    [Fact]
    public void Lists_interleaved_folio_by_folio_keep_their_order_past_a_chunk_of_many_runs()
    {
        // Hundreds of one-folio runs in one chunk: the chunk indexes them page by page.
        var random = new Random(18);
        var ops = Enumerable.Range(0, 3000)
            .Select(_ => new FolioListOp(random.Next(10) < 6 ? random.Next(2) : 2, random.Next(2), random.Next(600), random.Next(16)))
            .ToArray();

        Assert.Null(Mismatch(ops));
    }

    // Replays ops on two lists and a linked-list model; the first difference, or null.
    private static string? Mismatch(IEnumerable<FolioListOp> ops)
    {
        var table = new FolioTable();
        FolioList[] lists = [FolioList.Empty(ListStates[0]), FolioList.Empty(ListStates[1])];
        var model = new[] { new LinkedList<long>(), new LinkedList<long>() };
        var parts = new Dictionary<long, (int List, int Part)>();
        foreach (var op in ops)
        {
            if (op.Kind < 2)
            {
                if (parts.ContainsKey(op.Pfn))
                {
                    continue;
                }
                if (op.Kind == 0)
                {
                    lists[op.List].AddHead(table, op.Pfn);
                    model[op.List].AddFirst(op.Pfn);
                }
                else
                {
                    lists[op.List].AddTail(table, op.Pfn);
                    model[op.List].AddLast(op.Pfn);
                }
                table.SetState(op.Pfn, FolioLruState.Join(ListStates[op.List], op.Part));
                parts[op.Pfn] = (op.List, op.Part);
            }
            else if (parts.Count > 0)
            {
                var pfn = parts.Keys.OrderBy(p => p).ElementAt((int)(op.Pfn % parts.Count));
                var list = parts[pfn].List;
                lists[list].Remove(table, pfn);
                model[list].Remove(pfn);
                table.SetState(pfn, 0);
                parts.Remove(pfn);
                if (table.State(pfn) != 0)
                {
                    return $"after {op}: pfn {pfn} keeps state {table.State(pfn)}";
                }
            }
            for (var l = 0; l < 2; l++)
            {
                var order = table.HeadToTail(lists[l]).ToArray();
                if (!order.SequenceEqual(model[l]))
                {
                    return $"after {op}: list {l} is [{string.Join(' ', order)}], not [{string.Join(' ', model[l])}]";
                }
                var head = model[l].Count > 0 ? model[l].First!.Value : -1;
                var tail = model[l].Count > 0 ? model[l].Last!.Value : -1;
                if (lists[l].Head != head || lists[l].Tail != tail || lists[l].Count != model[l].Count)
                {
                    return $"after {op}: list {l} has head {lists[l].Head}, tail {lists[l].Tail}, count {lists[l].Count}";
                }
            }
            foreach (var (pfn, (list, part)) in parts)
            {
                if (table.State(pfn) != FolioLruState.Join(ListStates[list], part))
                {
                    return $"after {op}: pfn {pfn} has state {table.State(pfn)}";
                }
            }
        }
        return null;
    }

    [Fact]
    public void A_batch_added_at_the_head_in_pfn_order_is_one_run()
    {
        var table = new FolioTable();
        var list = FolioList.Empty(ListStates[0]);

        for (var pfn = 100; pfn < 131; pfn++)
        {
            list.AddHead(table, pfn);
        }

        Assert.Equal(1, table.Runs);
        Assert.Equal(130, list.Head);
        Assert.Equal(100, list.Tail);
    }

    [Fact]
    public void Removing_from_the_middle_splits_the_run_and_keeps_the_order()
    {
        var table = new FolioTable();
        var list = FolioList.Empty(ListStates[0]);
        for (var pfn = 100; pfn < 110; pfn++)
        {
            list.AddHead(table, pfn);
        }

        list.Remove(table, 105);

        Assert.Equal(2, table.Runs);
        Assert.Equal([109L, 108, 107, 106, 104, 103, 102, 101, 100], table.HeadToTail(list));
    }

    [Fact]
    public void A_folio_kept_off_the_list_brings_its_bits_back_and_must_match_the_list()
    {
        var table = new FolioTable();
        var list = FolioList.Empty(ListStates[0]);
        var kept = FolioLruState.SetWorkingset(FolioLruState.SetReferenced(ListStates[0], true), true);
        table.SetState(7, kept);

        list.AddTail(table, 7);

        Assert.Equal(kept, table.State(7));
        var other = FolioList.Empty(ListStates[1]);
        table.SetState(8, kept);
        Assert.Throws<InvalidOperationException>(() => other.AddHead(table, 8));
    }
}

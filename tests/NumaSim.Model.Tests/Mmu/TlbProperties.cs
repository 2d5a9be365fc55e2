using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.Mmu;
using Xunit;

namespace NumaSim.Model.Tests.Mmu;

public enum TlbOpKind
{
    Insert,
    Lookup,
    Invalidate,
}

public sealed record TlbOp(TlbOpKind Kind, int Asid, long Vpn, long Pfn)
{
    public override string ToString() => Kind switch
    {
        TlbOpKind.Insert => $"ins({Asid},{Vpn}->{Pfn})",
        TlbOpKind.Lookup => $"get({Asid},{Vpn})",
        _ => $"inv({Asid},{Vpn})",
    };
}

public sealed record TlbCase(int Entries, int Ways, IReadOnlyList<TlbOp> Ops)
{
    public override string ToString() => $"{Entries}x{Ways}: {string.Join(' ', Ops)}";
}

/// <summary>The TLB against a reference model: per set, a list ordered from least to most recently used.</summary>
public sealed class TlbProperties
{
    private const int Asids = 3;
    private const int Pages = 16;

    private static readonly (int Entries, int Ways)[] Shapes = [(8, 2), (8, 1), (4, 4), (12, 3), (16, 4)];

    private sealed class ReferenceTlb(int entries, int ways)
    {
        private readonly List<(int Asid, long Vpn, Pte Pte)>[] _sets =
            [.. Enumerable.Range(0, entries / ways).Select(_ => new List<(int, long, Pte)>())];

        public long Hits { get; private set; }
        public long Misses { get; private set; }
        public long Evictions { get; private set; }

        private List<(int Asid, long Vpn, Pte Pte)> Set(long vpn) => _sets[(int)(vpn % _sets.Length)];

        public bool TryLookup(int asid, long vpn, out Pte pte)
        {
            var set = Set(vpn);
            var i = set.FindIndex(e => e.Asid == asid && e.Vpn == vpn);
            if (i < 0)
            {
                Misses++;
                pte = default;
                return false;
            }
            var entry = set[i];
            set.RemoveAt(i);
            set.Add(entry);
            Hits++;
            pte = entry.Pte;
            return true;
        }

        public void Insert(int asid, long vpn, Pte pte)
        {
            var set = Set(vpn);
            var i = set.FindIndex(e => e.Asid == asid && e.Vpn == vpn);
            if (i >= 0)
            {
                set.RemoveAt(i);
            }
            else if (set.Count == ways)
            {
                set.RemoveAt(0);
                Evictions++;
            }
            set.Add((asid, vpn, pte));
        }

        public bool Invalidate(int asid, long vpn) => Set(vpn).RemoveAll(e => e.Asid == asid && e.Vpn == vpn) > 0;

        public bool Contains(int asid, long vpn) => Set(vpn).Exists(e => e.Asid == asid && e.Vpn == vpn);
    }

    private static Gen<TlbCase> Cases(bool withInvalidations)
    {
        var insert = from asid in Gen.Choose(0, Asids - 1)
                     from vpn in Gen.Choose(0, Pages - 1)
                     from pfn in Gen.Choose(1, 1000)
                     select new TlbOp(TlbOpKind.Insert, asid, vpn, pfn);
        var lookup = from asid in Gen.Choose(0, Asids - 1)
                     from vpn in Gen.Choose(0, Pages - 1)
                     select new TlbOp(TlbOpKind.Lookup, asid, vpn, 0);
        var invalidate = from asid in Gen.Choose(0, Asids - 1)
                         from vpn in Gen.Choose(0, Pages - 1)
                         select new TlbOp(TlbOpKind.Invalidate, asid, vpn, 0);
        var op = withInvalidations
            ? Gen.Frequency((4, insert), (4, lookup), (2, invalidate))
            : Gen.Frequency((4, insert), (4, lookup));
        return from shape in Gen.Elements(Shapes)
               from count in Gen.Choose(0, 120)
               from ops in op.ArrayOf(count)
               select new TlbCase(shape.Entries, shape.Ways, ops);
    }

    private static bool Agrees(TlbCase c)
    {
        var tlb = new Tlb(c.Entries, c.Ways);
        var reference = new ReferenceTlb(c.Entries, c.Ways);
        foreach (var op in c.Ops)
        {
            switch (op.Kind)
            {
                case TlbOpKind.Insert:
                    var pte = new Pte(op.Pfn, 0, PteFlags.Present);
                    tlb.Insert(op.Asid, op.Vpn, pte);
                    reference.Insert(op.Asid, op.Vpn, pte);
                    break;
                case TlbOpKind.Lookup:
                    var hit = tlb.TryLookup(op.Asid, op.Vpn, out var got);
                    var expectedHit = reference.TryLookup(op.Asid, op.Vpn, out var expected);
                    if (hit != expectedHit || got != expected)
                    {
                        return false;
                    }
                    break;
                default:
                    if (tlb.Invalidate(op.Asid, op.Vpn) != reference.Invalidate(op.Asid, op.Vpn))
                    {
                        return false;
                    }
                    break;
            }
            for (var asid = 0; asid < Asids; asid++)
            {
                for (var vpn = 0; vpn < Pages; vpn++)
                {
                    if (tlb.Contains(asid, vpn) != reference.Contains(asid, vpn))
                    {
                        return false;
                    }
                }
            }
        }
        return tlb.Hits == reference.Hits && tlb.Misses == reference.Misses && tlb.Evictions == reference.Evictions;
    }

    [Property(MaxTest = 300)]
    public Property Inserts_and_lookups_match_a_reference_lru_model() =>
        Prop.ForAll(Cases(withInvalidations: false).ToArbitrary(), Agrees);

    // See TlbTests.Reinserting_a_cached_translation_after_an_invalidation_in_its_set_keeps_one_copy:
    // the smallest failing sequence is 8x2: ins(0,0) ins(0,4) inv(0,0) ins(0,4) inv(0,4), after which
    // Contains(0,4) is still true. With Insert fixed (look for the key in every way first) this passes.
    [Property(MaxTest = 300)]
    public Property Inserts_lookups_and_invalidations_match_a_reference_lru_model() =>
        Prop.ForAll(Cases(withInvalidations: true).ToArbitrary(), Agrees);
}

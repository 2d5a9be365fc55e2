namespace NumaSim.Model.Mmu;

/// <summary>
/// A multi-level page-table tree. Every table is a simulated physical page (its PFN and node are
/// what a hardware walk pays for); the caller allocates those pages from the page allocator and
/// hands them in, so page tables are counted like any other kernel allocation.
/// </summary>
public sealed class PageTable
{
    private readonly List<TablePage> _tables = [];

    public PageTable(PagingMode mode, long rootPfn, int rootNode)
    {
        Mode = mode;
        _tables.Add(new TablePage(rootPfn, rootNode, 0, mode));
    }

    public PagingMode Mode { get; }

    /// <summary>Table pages in the tree, the root included (what nr_page_table_pages counts).</summary>
    public int TablePages => _tables.Count;

    public IEnumerable<(long Pfn, int Node)> Tables => _tables.Select(t => (t.Pfn, t.Node));

    /// <summary>
    /// The hardware walk: the tables visited from the root (their nodes, for the walk's cost),
    /// and the leaf entry if the whole path exists. Visited is filled, not allocated.
    /// </summary>
    public Pte? Walk(long vpn, List<int> visitedNodes)
    {
        ArgumentNullException.ThrowIfNull(visitedNodes);
        Span<int> nodes = stackalloc int[Mode.Levels];
        var visited = Walk(vpn, nodes, out var slot, out _);
        visitedNodes.Clear();
        for (var i = 0; i < visited; i++)
        {
            visitedNodes.Add(nodes[i]);
        }
        return slot.Present ? slot : null;
    }

    /// <summary>
    /// The walk as a fault takes it, once: the nodes of the tables visited (into <paramref name="visitedNodes"/>, at
    /// least <see cref="PagingMode.Levels"/> long; the count is returned), the entry where the walk ended as it stands
    /// (a present leaf or huge leaf, a swap entry, or empty, the default when a level is missing), and how many table
    /// pages mapping a base page there would add.
    /// </summary>
    public int Walk(long vpn, Span<int> visitedNodes, out Pte slot, out int missingTables)
    {
        var table = _tables[0];
        var levels = Mode.Levels;
        for (var level = 0; level < levels - 1; level++)
        {
            visitedNodes[level] = table.Node;
            var index = Mode.Index(vpn, level);
            if (level == levels - 2 && table.HugeLeaves is { } huge && huge[index].Present)
            {
                slot = huge[index];
                missingTables = 0;
                return level + 1;
            }
            var child = table.Children![index];
            if (child < 0)
            {
                slot = default;
                missingTables = levels - 1 - level;
                return level + 1;
            }
            table = _tables[child];
        }
        visitedNodes[levels - 1] = table.Node;
        slot = table.Leaves![Mode.Index(vpn, levels - 1)];
        missingTables = 0;
        return levels;
    }

    /// <summary>How many table pages mapping this page would add (with a huge leaf: one level fewer).</summary>
    public int MissingTables(long vpn, bool huge = false)
    {
        var leafLevel = huge ? Mode.Levels - 2 : Mode.Levels - 1;
        var table = _tables[0];
        for (var level = 0; level < leafLevel; level++)
        {
            var child = table.Children![Mode.Index(vpn, level)];
            if (child < 0)
            {
                return leafLevel - level;
            }
            table = _tables[child];
        }
        return 0;
    }

    /// <summary>True when the huge page around vpn could be mapped: no last-level table and no huge leaf there yet.</summary>
    public bool HugeSlotFree(long vpn)
    {
        var (table, index) = HugeSlot(vpn, create: null);
        return table is null || (table.Children![index] < 0 && !(table.HugeLeaves?[index].Present ?? false));
    }

    /// <summary>The huge leaf mapping vpn, if one does.</summary>
    public Pte? HugeLeaf(long vpn)
    {
        var (table, index) = HugeSlot(vpn, create: null);
        return table?.HugeLeaves is { } leaves && leaves[index].Present ? leaves[index] : null;
    }

    /// <summary>Installs a huge leaf one level above the last, creating missing tables from the given pages (top first).</summary>
    public void InstallHuge(long vpn, Pte pte, IReadOnlyList<(long Pfn, int Node)> newTables)
    {
        var next = 0;
        var (table, index) = HugeSlot(vpn, create: () => newTables[next++]);
        table!.HugeLeaves ??= new Pte[Mode.EntriesPerTable];
        table.HugeLeaves[index] = pte with { Flags = pte.Flags | PteFlags.Huge };
    }

    /// <summary>Rewrites or clears (change returns default) the huge leaf around vpn; returns the old one if present.</summary>
    public Pte? UpdateHuge(long vpn, Func<Pte, Pte> change)
    {
        var (table, index) = HugeSlot(vpn, create: null);
        if (table?.HugeLeaves is not { } leaves || !leaves[index].Present)
        {
            return null;
        }
        var old = leaves[index];
        leaves[index] = change(old);
        return old;
    }

    /// <summary>The table one level above the last on vpn's path and vpn's index in it (null table: a level is missing).</summary>
    private (TablePage? Table, int Index) HugeSlot(long vpn, Func<(long Pfn, int Node)>? create)
    {
        var table = _tables[0];
        for (var level = 0; level < Mode.Levels - 2; level++)
        {
            var index = Mode.Index(vpn, level);
            var child = table.Children![index];
            if (child < 0)
            {
                if (create is null)
                {
                    return (null, 0);
                }
                var (pfn, node) = create();
                child = _tables.Count;
                _tables.Add(new TablePage(pfn, node, level + 1, Mode));
                table.Children[index] = child;
            }
            table = _tables[child];
        }
        return (table, Mode.Index(vpn, Mode.Levels - 2));
    }

    /// <summary>Installs a leaf entry, creating missing tables from the given pages (in order, top first).</summary>
    public void Install(long vpn, Pte pte, IReadOnlyList<(long Pfn, int Node)> newTables)
    {
        var next = 0;
        var table = _tables[0];
        for (var level = 0; level < Mode.Levels - 1; level++)
        {
            var index = Mode.Index(vpn, level);
            var child = table.Children![index];
            if (child < 0)
            {
                var (pfn, node) = newTables[next++];
                child = _tables.Count;
                _tables.Add(new TablePage(pfn, node, level + 1, Mode));
                table.Children[index] = child;
            }
            table = _tables[child];
        }
        table.Leaves![Mode.Index(vpn, Mode.Levels - 1)] = pte;
    }

    /// <summary>Clears a leaf entry, present or a swap entry; returns the entry that was there.</summary>
    public Pte? Clear(long vpn)
    {
        if (LeafTable(vpn) is { } table && table.Leaves![Mode.Index(vpn, Mode.Levels - 1)] is { IsSwap: true } swap)
        {
            table.Leaves[Mode.Index(vpn, Mode.Levels - 1)] = default;
            return swap;
        }
        return Update(vpn, _ => default);
    }

    /// <summary>The swap slot vpn's leaf entry names, if it holds a swap entry (is_swap_pte).</summary>
    public long? SwapEntry(long vpn) =>
        LeafTable(vpn)?.Leaves![Mode.Index(vpn, Mode.Levels - 1)] is { IsSwap: true } pte ? pte.Pfn : null;

    /// <summary>
    /// try_to_unmap_one for an anonymous page: the present entry at vpn becomes the swap entry of
    /// <paramref name="slot"/>; returns the entry that was there, or null if none was present.
    /// </summary>
    public Pte? SetSwapEntry(long vpn, long slot) => Update(vpn, _ => Pte.SwapEntry(slot));

    // The last-level table on vpn's path, if every level exists.
    private TablePage? LeafTable(long vpn)
    {
        var table = _tables[0];
        for (var level = 0; level < Mode.Levels - 1; level++)
        {
            var child = table.Children![Mode.Index(vpn, level)];
            if (child < 0)
            {
                return null;
            }
            table = _tables[child];
        }
        return table;
    }

    /// <summary>Rewrites a present leaf entry; returns the old one, or null if none was present.</summary>
    public Pte? Update(long vpn, Func<Pte, Pte> change) => Update(vpn, change, static (old, change) => change(old));

    /// <summary>
    /// <see cref="Update(long, Func{Pte, Pte})"/> with the new entry's inputs passed in, so that a fault's rewrite
    /// allocates no closure.
    /// </summary>
    public Pte? Update<TState>(long vpn, TState state, Func<Pte, TState, Pte> change)
    {
        var table = _tables[0];
        for (var level = 0; level < Mode.Levels - 1; level++)
        {
            var child = table.Children![Mode.Index(vpn, level)];
            if (child < 0)
            {
                return null;
            }
            table = _tables[child];
        }
        var leaves = table.Leaves!;
        var index = Mode.Index(vpn, Mode.Levels - 1);
        var old = leaves[index];
        if (!old.Present)
        {
            return null;
        }
        leaves[index] = change(old, state);
        return old;
    }

    private sealed class TablePage
    {
        public TablePage(long pfn, int node, int level, PagingMode mode)
        {
            Pfn = pfn;
            Node = node;
            if (level < mode.Levels - 1)
            {
                Children = new int[mode.EntriesPerTable];
                Array.Fill(Children, -1);
            }
            else
            {
                Leaves = new PteLeaf(mode.EntriesPerTable);
            }
        }

        public long Pfn { get; }
        public int Node { get; }
        public int[]? Children { get; }
        public PteLeaf? Leaves { get; }
        public Pte[]? HugeLeaves { get; set; }
    }
}

using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Mmu;

/// <summary>
/// A task's mm_struct: its page-table tree, its mappings, its resident pages, and the CPUs whose
/// TLBs may hold its translations (mm_cpumask), which is who a shootdown must reach.
/// </summary>
public sealed class AddressSpace
{
    /// <summary>Where mmap starts handing out addresses (above the low 4 GiB, as a typical heap/mmap base would be).</summary>
    private const long MmapBaseBytes = 1L << 32;

    private readonly List<Vma> _vmas = [];
    private readonly SortedSet<int> _cpus = [];
    private long _nextVpn;

    public AddressSpace(int id, PagingMode mode, long rootPfn, int rootNode)
    {
        Id = id;
        Mode = mode;
        PageTable = new PageTable(mode, rootPfn, rootNode);
        _nextVpn = MmapBaseBytes >> mode.PageShift;
    }

    public int Id { get; }
    public PagingMode Mode { get; }
    public PageTable PageTable { get; }
    public long ResidentPages { get; private set; }
    public IReadOnlyList<Vma> Vmas => _vmas;
    private readonly Dictionary<long, (long Pfn, int Node)> _deposits = [];

    /// <summary>NUMA balancing's state of this mm and its task (null while kernel.numa_balancing is 0).</summary>
    public Sched.TaskNumaBalancing? Numa { get; set; }

    /// <summary>CPUs that ran this task since it last flushed: the ones that may cache its entries.</summary>
    public IReadOnlyCollection<int> CpusThatMayCache => _cpus;

    /// <summary>Whether a CPU other than <paramref name="cpu"/> may hold entries of this mm in its TLB (a flush must ask it).</summary>
    public bool MayBeCachedBeyond(int cpu) => _cpus.Count > (_cpus.Contains(cpu) ? 1 : 0);

    public void RanOn(int cpu) => _cpus.Add(cpu);

    public Vma? Find(long vpn)
    {
        int lo = 0, hi = _vmas.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            var vma = _vmas[mid];
            if (vpn < vma.StartVpn)
            {
                hi = mid - 1;
            }
            else if (vpn >= vma.EndVpn)
            {
                lo = mid + 1;
            }
            else
            {
                return vma;
            }
        }
        return null;
    }

    /// <summary>What an access to vpn finds, given the walk's leaf entry.</summary>
    public FaultKind Classify(long vpn, bool write, Pte? leaf) =>
        Classify(Find(vpn), write, leaf ?? (PageTable.SwapEntry(vpn) is { } slot ? Pte.SwapEntry(slot) : default));

    /// <summary>What an access finds in <paramref name="vma"/>, given the entry where the walk ended as it stands (present, a swap entry, or empty).</summary>
    public static FaultKind Classify(Vma? vma, bool write, Pte entry)
    {
        if (vma is null)
        {
            return FaultKind.NoMapping;
        }
        var needed = write ? Protection.Write : Protection.Read;
        if ((vma.Protection & needed) == 0)
        {
            return FaultKind.Permission;
        }
        if (!entry.Present)
        {
            return entry.IsSwap ? FaultKind.Swap : FaultKind.NotPresent;
        }
        if (entry.ProtNone)
        {
            return FaultKind.NumaHint;
        }
        return write && !entry.Writable ? FaultKind.WriteProtect : FaultKind.None;
    }

    /// <summary>An anonymous mapping of this many pages, starting on a multiple of alignPages; returns its first virtual page.</summary>
    public long Mmap(long pages, Protection protection, MemPolicy policy, long alignPages = 1, bool hugepage = false)
    {
        var start = (_nextVpn + alignPages - 1) / alignPages * alignPages;
        _nextVpn = start + pages + 1; // a guard page between mappings
        if (_nextVpn >= Mode.MaxVirtualPage)
        {
            throw new InvalidOperationException("virtual address space exhausted");
        }
        _vmas.Add(new Vma(start, start + pages, protection, policy) { Hugepage = hugepage });
        return start;
    }

    /// <summary>MAP_FIXED: a mapping at a chosen place (where an unmapped range is mapped again).</summary>
    public void MmapFixed(long startVpn, long pages, Protection protection, MemPolicy policy, bool hugepage = false)
    {
        Reshape(startVpn, startVpn + pages, _ => null);
        var at = _vmas.FindIndex(v => v.StartVpn > startVpn);
        _vmas.Insert(at < 0 ? _vmas.Count : at, new Vma(startVpn, startVpn + pages, protection, policy) { Hugepage = hugepage });
    }

    /// <summary>A demand fault installed a page (or, for a read, the zero page, which is no one's resident page).</summary>
    public void Map(long vpn, Pte pte, IReadOnlyList<(long Pfn, int Node)> newTables)
    {
        PageTable.Install(vpn, pte, newTables);
        if (!pte.ZeroPage)
        {
            ResidentPages++;
        }
    }

    /// <summary>
    /// try_to_unmap_one: reclaim wrote the page at vpn to swap <paramref name="slot"/>, and its entry becomes that
    /// swap entry (the caller flushes the TLBs that may hold it). Returns the entry that was there, or null if
    /// none was present.
    /// </summary>
    public Pte? UnmapToSwap(long vpn, long slot)
    {
        var old = PageTable.SetSwapEntry(vpn, slot);
        if (old is not null)
        {
            ResidentPages--;
        }
        return old;
    }

    /// <summary>do_swap_page: the page read back replaces the swap entry at vpn.</summary>
    public void MapSwapped(long vpn, Pte pte)
    {
        if (PageTable.SwapEntry(vpn) is null)
        {
            throw new InvalidOperationException($"0x{vpn << Mode.PageShift:x} holds no swap entry");
        }
        PageTable.Install(vpn, pte, []);
        ResidentPages++;
    }

    /// <summary>wp_page_copy: the zero page's entry at vpn is replaced by a page of the mapping's own.</summary>
    public void ReplaceZeroPage(long vpn, Pte pte)
    {
        PageTable.Update(vpn, (Pte: pte, Address: vpn << Mode.PageShift), static (old, replace) =>
            old.ZeroPage ? replace.Pte : throw new InvalidOperationException($"0x{replace.Address:x} does not map the zero page"));
        ResidentPages++;
    }

    /// <summary>
    /// A demand fault installed a transparent huge page at the huge-aligned vpn, with the PTE table deposited
    /// beside it (pgtable_trans_huge_deposit) for a later split; munmap withdraws it.
    /// </summary>
    public void MapHuge(long vpn, Pte pte, IReadOnlyList<(long Pfn, int Node)> newTables, (long Pfn, int Node) deposit)
    {
        PageTable.InstallHuge(vpn, pte, newTables);
        ResidentPages += Mode.HugePages;
        _deposits[vpn] = deposit;
    }

    /// <summary>
    /// __split_huge_pmd_locked for an anonymous huge page: the huge entry around vpn gives way to the PTE table deposited
    /// with it (pgtable_trans_huge_withdraw), whose 512 entries map the folio's pages with the huge entry's
    /// protection. Returns the huge entry, or null if none maps vpn.
    /// </summary>
    public Pte? SplitHugePmd(long vpn)
    {
        var head = vpn & ~(long)(Mode.HugePages - 1);
        if (PageTable.HugeLeaf(head) is not { } huge || !_deposits.Remove(head, out var table))
        {
            return null;
        }
        PageTable.UpdateHuge(head, static _ => default);
        var pte = new Pte(huge.Pfn, huge.Node, huge.Flags & ~PteFlags.Huge);
        PageTable.Install(head, pte, [table]);
        for (var i = 1; i < Mode.HugePages; i++)
        {
            PageTable.Install(head + i, new Pte(huge.Pfn + i, huge.Node, pte.Flags), []);
        }
        return huge;
    }

    /// <summary>Page-table pages deposited with huge mappings (one each).</summary>
    public int DepositedTables => _deposits.Count;

    /// <summary>Removes [startVpn, startVpn + pages) from the mappings; the present pages are appended to removed.</summary>
    public void Munmap(long startVpn, long pages, List<(long Vpn, Pte Pte)> removed, Dictionary<long, (long Pfn, int Node)>? withdrawn = null)
    {
        var end = startVpn + pages;
        Reshape(startVpn, end, _ => null);
        for (var vpn = startVpn; vpn < end; vpn++)
        {
            if (HugeBase(vpn, startVpn, end) is { } head)
            {
                if (PageTable.UpdateHuge(head, _ => default) is { } huge)
                {
                    removed.Add((head, huge));
                    ResidentPages -= Mode.HugePages;
                    if (_deposits.Remove(head, out var table))
                    {
                        withdrawn?.Add(head, table);
                    }
                }
                vpn = head + Mode.HugePages - 1;
            }
            else if (PageTable.Clear(vpn) is { } old)
            {
                removed.Add((vpn, old));
                ResidentPages -= old.ZeroPage || old.IsSwap ? 0 : 1;
            }
        }
    }

    /// <summary>
    /// The head of the huge page mapping vpn, if one does; a range that would cut a huge page
    /// is refused (split_huge_pmd is not modeled: scenarios keep huge ranges whole).
    /// </summary>
    private long? HugeBase(long vpn, long start, long end)
    {
        var head = vpn & ~(long)(Mode.HugePages - 1);
        if (PageTable.HugeLeaf(head) is null)
        {
            return null;
        }
        if (head < start || head + Mode.HugePages > end)
        {
            throw new InvalidOperationException($"the range cuts the huge page at 0x{head << Mode.PageShift:x}; splitting huge pages is not modeled");
        }
        return head;
    }

    /// <summary>Changes the protection of [startVpn, startVpn + pages); returns the virtual pages whose entries changed.</summary>
    public void Mprotect(long startVpn, long pages, Protection protection, List<long> changed)
    {
        var end = startVpn + pages;
        Reshape(startVpn, end, vma => vma with { Protection = protection });
        var writable = (protection & Protection.Write) != 0;
        // The zero page stays read-only whatever the mapping allows: a write must still copy it.
        Pte Protect(Pte pte) => pte.ZeroPage ? pte : pte with { Flags = writable ? pte.Flags | PteFlags.Write : pte.Flags & ~PteFlags.Write };
        for (var vpn = startVpn; vpn < end; vpn++)
        {
            if (HugeBase(vpn, startVpn, end) is { } head)
            {
                if (PageTable.UpdateHuge(head, Protect) is { } huge && huge.Writable != writable)
                {
                    changed.Add(head);
                }
                vpn = head + Mode.HugePages - 1;
            }
            else if (PageTable.Update(vpn, Protect) is { } o && o.Writable != writable)
            {
                changed.Add(vpn);
            }
        }
    }

    /// <summary>mbind_range: the mappings in [startVpn, startVpn + pages) take <paramref name="policy"/>; their pages stay where they are.</summary>
    public void Mbind(long startVpn, long pages, MemPolicy policy) =>
        Reshape(startVpn, startVpn + pages, vma => vma with { Policy = policy });

    /// <summary>Splits the mappings at start and end and replaces the part inside (null removes it).</summary>
    private void Reshape(long start, long end, Func<Vma, Vma?> inside)
    {
        var result = new List<Vma>(_vmas.Count + 2);
        foreach (var vma in _vmas)
        {
            if (vma.EndVpn <= start || vma.StartVpn >= end)
            {
                result.Add(vma);
                continue;
            }
            if (vma.StartVpn < start)
            {
                result.Add(vma with { EndVpn = start });
            }
            if (inside(vma with { StartVpn = Math.Max(start, vma.StartVpn), EndVpn = Math.Min(end, vma.EndVpn) }) is { } kept)
            {
                result.Add(kept);
            }
            if (vma.EndVpn > end)
            {
                result.Add(vma with { StartVpn = end });
            }
        }
        _vmas.Clear();
        _vmas.AddRange(result);
    }
}

using NumaSim.Model.Lru;
using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Reclaim;
using NumaSim.Model.Stats;
using NumaSim.Model.Swap;
using NumaSim.Model.Tiering;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Filemap;

/// <summary>
/// Reads files through the page cache and touches one anonymous area in one thread, with one lruvec and one
/// kswapd per node, the allocator's slow path reclaiming and the topology's swap area: what the actors do with
/// messages, done with calls, for tests and benchmarks. kswapd runs to completion when woken (it keeps up with any
/// allocation rate), so direct reclaim happens only when kswapd cannot help. The anonymous area's page table is a
/// map from virtual page to its page or its swap slot (no table pages are allocated). With demotion_enabled, reclaim
/// on a node with a slower memory tier demotes to it, the page move done here (Host.MigrateFolio).
/// </summary>
public sealed class PageCacheMachine : ISlowpath
{
    /// <summary>What a read-file step reads per read(2): the 64 KiB buffer of the project's guest program.</summary>
    public const int ReadChunkBytes = 64 << 10;

    private readonly Lruvec[] _lruvecs;
    private readonly ReclaimNode[] _nodes;
    private readonly Kswapd[] _kswapds;
    private readonly Dictionary<long, (FileMapping Mapping, long Index)> _cached = [];
    private readonly MachineTopology _topology;
    private readonly int _zoneReclaimMode;

    // The anonymous area: a virtual page's pfn (>= 0) or its swap slot (as -slot), and each mapped page's virtual
    // page (the reverse map).
    private readonly Dictionary<long, long> _ptes = [];
    private readonly Dictionary<long, long> _rmap = [];
    private readonly long[] _anonMapped;
    private long _nextVpn;
    private int _freeingCpu;

    /// <param name="topology">The machine, with its swap area (SwapBytes).</param>
    /// <param name="zoneReclaimMode">vm.zone_reclaim_mode.</param>
    /// <param name="swappiness">vm.swappiness.</param>
    /// <param name="demotionEnabled">/sys/kernel/mm/numa/demotion_enabled, over the tiers the topology's HMAT figures give.</param>
    public PageCacheMachine(MachineTopology topology, int zoneReclaimMode = 0, int swappiness = 60, bool demotionEnabled = false)
    {
        _topology = topology;
        _zoneReclaimMode = zoneReclaimMode;
        Pages = new PageAllocatorMachine(topology, this, zoneReclaimMode);
        Swap = new SwapSpace(SwapSpace.PagesFor(topology.SwapBytes, topology.Arch.PageSize), topology.Nodes.Count);
        _anonMapped = new long[topology.Nodes.Count];
        var tiers = MemoryTiers.Establish(topology);
        _lruvecs = [.. topology.Nodes.Select(n => new Lruvec(n.Id) { Demotion = NodeDemotion.For(tiers, n.Id, demotionEnabled) })];
        var host = new Host(this);
        _nodes = [.. topology.Nodes.Select(n => new ReclaimNode(
            n.Id,
            _lruvecs[n.Id],
            [.. Pages.Setup.Populated.Where(z => z.Node == n.Id)],
            zone => Pages.Zone(zone).View,
            host)
        {
            Swappiness = swappiness,
            FreeSwapPages = () => Swap.FreePages,
            SetReclaimActive = active =>
            {
                foreach (var zone in Pages.Setup.Populated.Where(z => z.Node == n.Id))
                {
                    Pages.Zone(zone.Index).ReclaimActive = active;
                }
            },
            ClearWatermarkBoost = (zone, boost) => Pages.Zone(zone).ClearWatermarkBoost(boost),
        })];
        _kswapds = [.. _nodes.Select(n => new Kswapd(n))];
    }

    public PageAllocatorMachine Pages { get; }

    /// <summary>The swap area (no slots when the topology has none).</summary>
    public SwapSpace Swap { get; }

    /// <summary>NR_ANON_MAPPED of a node: the anonymous area's pages mapped there.</summary>
    public long AnonPages(int node) => _anonMapped[node];

    /// <summary>The anonymous area's pages out in swap (page-table entries holding a swap entry).</summary>
    public long SwappedOut => _ptes.Count - _rmap.Count;

    /// <summary>A vm event summed over the CPUs' and the reclaimers' counters, as /proc/vmstat sums them.</summary>
    public long Event(VmEventItem item) =>
        _topology.AllCpus.Sum(cpu => Pages.Cpu(cpu).Events[item]) + _nodes.Sum(n => n.Stat.Events[item]);

    public Lruvec Lruvec(int node) => _lruvecs[node];

    public ReclaimNode ReclaimNode(int node) => _nodes[node];

    public Kswapd Kswapd(int node) => _kswapds[node];

    /// <summary>
    /// open, read the first <paramref name="bytes"/> of the file in 64 KiB reads on <paramref name="cpu"/>, close.
    /// Returns the pages it cached and whether every page could be had.
    /// </summary>
    public (long Allocated, bool Complete) ReadFile(int cpu, FileMapping mapping, long bytes, MemPolicy policy)
    {
        var ra = new FileRaState();
        var allocated = 0L;
        for (var pos = 0L; pos < Math.Min(bytes, mapping.SizePages << 12); pos += ReadChunkBytes)
        {
            var read = new FilemapRead(mapping, ra, pos, Math.Min(ReadChunkBytes, bytes - pos), policy);
            var step = read.Begin();
            while (step.Kind == ReadStepKind.Allocate)
            {
                var (pfn, zone) = Pages.Allocate(cpu, step.Request!);
                step = read.Resume(pfn);
                if (pfn >= 0)
                {
                    var lru = _lruvecs[ZoneIndex.Node(zone)];
                    lru.Add(pfn, (int)ZoneIndex.Type(zone), LruType.File, 0, LruAdd.Cold);
                    if (read.Shadow >= 0)
                    {
                        lru.Refault(pfn, read.Shadow);
                    }
                    _cached[pfn] = (mapping, read.LastIndex);
                }
            }
            foreach (var pfn in read.Accessed)
            {
                _lruvecs[NodeOf(pfn)].MarkAccessed(pfn);
            }
            allocated += read.PagesAllocated;
            if (read.Failed)
            {
                return (allocated, false);
            }
        }
        return (allocated, true);
    }

    /// <summary>
    /// A task's first write to <paramref name="pages"/> more anonymous pages of its area (do_anonymous_page without
    /// the page tables): each a GFP_HIGHUSER_MOVABLE page under the policy, put on its node's LRU as a faulted folio.
    /// Returns the pages it got.
    /// </summary>
    public long TouchAnon(int cpu, long pages, MemPolicy policy) => TouchAnon(cpu, _nextVpn, pages, policy, write: true);

    /// <summary>
    /// Touches the anonymous area's pages [first, first + pages): a page never touched faults in new
    /// (do_anonymous_page), one out in swap faults back from it (do_swap_page), a mapped one needs nothing (its
    /// young bit is not modelled). Stops at the first page that cannot be had; returns the pages now mapped.
    /// </summary>
    public long TouchAnon(int cpu, long first, long pages, MemPolicy policy, bool write)
    {
        var request = new AllocationRequest(0, Gfp.HighUserMovable, policy);
        var events = Pages.Cpu(cpu).Events;
        for (var vpn = first; vpn < first + pages; vpn++)
        {
            var present = _ptes.TryGetValue(vpn, out var entry);
            if (present && entry >= 0)
            {
                continue;
            }
            events.CountFault();
            var pfn = present ? SwapInPage(cpu, -entry, write, request, events) : NewAnonPage(cpu, request);
            if (pfn < 0)
            {
                return vpn - first;
            }
            _ptes[vpn] = pfn;
            _rmap[pfn] = vpn;
            _anonMapped[NodeOf(pfn)]++;
            _nextVpn = Math.Max(_nextVpn, vpn + 1);
        }
        return pages;
    }

    // do_anonymous_page's page, on its node's LRU as a faulted folio.
    private long NewAnonPage(int cpu, AllocationRequest request)
    {
        var (pfn, zone) = Pages.Allocate(cpu, request);
        if (pfn >= 0)
        {
            _lruvecs[ZoneIndex.Node(zone)].Add(pfn, (int)ZoneIndex.Type(zone), LruType.Anon, 0, LruAdd.Fault);
        }
        return pfn;
    }

    // do_swap_page's swap half, asked as the fault handler asks it: the swap cache, else a new page read in.
    private long SwapInPage(int cpu, long slot, bool write, AllocationRequest request, VmEventCounters events)
    {
        var (pfn, _) = SwapIn.Answer(Swap, node => _lruvecs[node], new SwapInRequest(slot, -1, -1, write), events);
        if (pfn >= 0)
        {
            return pfn;
        }
        var (page, zone) = Pages.Allocate(cpu, request);
        return page < 0 ? -1 : SwapIn.Answer(Swap, node => _lruvecs[node], new SwapInRequest(slot, page, zone, write), events).Pfn;
    }

    void ISlowpath.WakeKswapds(IReadOnlyList<int> nodes, int order, int highestZoneIdx)
    {
        foreach (var node in nodes)
        {
            if (_kswapds[node].Wake(order, highestZoneIdx))
            {
                // kswapd runs on its node's first CPU; it naps and sleeps undisturbed in a synchronous run.
                _freeingCpu = _topology.Nodes[node].Cpus.Count > 0 ? _topology.Nodes[node].Cpus[0] : 0;
                while (!_kswapds[node].Run(() => false))
                {
                }
            }
        }
    }

    long ISlowpath.DirectReclaim(int cpu, IReadOnlyList<int> nodes, Gfp gfp, int order, int highestZoneIdx)
    {
        _freeingCpu = cpu;
        return Reclaim.DirectReclaim.TryToFreePages([.. nodes.Select(n => _nodes[n])], order, highestZoneIdx, (gfp & Gfp.Io) != 0);
    }

    long ISlowpath.Reclaimable(int zone) => _nodes[ZoneIndex.Node(zone)].ZoneReclaimable((int)ZoneIndex.Type(zone));

    void ISlowpath.NodeReclaim(int cpu, int node, Gfp gfp, int order, int highestZoneIdx)
    {
        _freeingCpu = cpu;
        Reclaim.NodeReclaim.Run(_nodes[node], _zoneReclaimMode, order, highestZoneIdx, gfp.CanDirectReclaim(),
            _topology.Nodes[node].Cpus.Count > 0, _topology.NodeOfCpu(cpu));
    }

    // No tasks here to kill.
    bool ISlowpath.OutOfMemory(int cpu, AllocationRequest request) => false;

    private int NodeOf(long pfn) => ZoneIndex.Node(ZoneOf(pfn));

    private int ZoneOf(long pfn) => _topology.ZoneOfPfn(pfn);

    private sealed class Host(PageCacheMachine machine) : IReclaimHost
    {
        public bool IsMapped(long pfn) => machine._rmap.ContainsKey(pfn);

        public bool RemoveFromPageCache(long pfn, long shadow)
        {
            if (!machine._cached.Remove(pfn, out var owner))
            {
                return false;
            }
            owner.Mapping.Remove(owner.Index, shadow);
            return true;
        }

        public long AddToSwap(long pfn)
        {
            var slot = machine.Swap.SlotOf(pfn);
            return slot > 0 ? slot : machine.Swap.AddToSwap(pfn, machine.ZoneOf(pfn));
        }

        public bool TryToUnmap(long pfn, long slot)
        {
            if (!machine._rmap.Remove(pfn, out var vpn))
            {
                return false;
            }
            machine._ptes[vpn] = -slot;
            machine.Swap.Duplicate(slot);
            machine._anonMapped[machine.NodeOf(pfn)]--;
            return true;
        }

        public bool RemoveFromSwapCache(long pfn, long shadow)
        {
            if (machine.Swap.SlotOf(pfn) < 0 || IsMapped(pfn))
            {
                return false;
            }
            machine.Swap.DeleteFromSwapCache(pfn, shadow);
            return true;
        }

        public void Free(long pfn) => machine.Pages.Free(machine._freeingCpu, machine.ZoneOf(pfn), pfn, 0, MigrateType.Movable);

        // migrate_pages' move of one order-0 folio: a nested allocation on the reclaiming CPU (which may wake the
        // target's kswapd, and run it here), the mapping switched to the copy, the copy on its node's LRU as an
        // inactive folio, the old page freed. A folio only in the swap cache is not moved here.
        public long MigrateFolio(long pfn, IReadOnlyList<AllocationRequest> targets)
        {
            if (!machine._rmap.ContainsKey(pfn) && !machine._cached.ContainsKey(pfn))
            {
                return -1;
            }
            var cpu = machine._freeingCpu;
            var (copy, zone) = (-1L, -1);
            foreach (var request in targets)
            {
                (copy, zone) = machine.Pages.Allocate(cpu, request, nested: true);
                if (copy >= 0)
                {
                    break;
                }
            }
            machine._freeingCpu = cpu;
            if (copy < 0)
            {
                return -1;
            }
            var node = ZoneIndex.Node(zone);
            var type = LruType.File;
            if (machine._rmap.Remove(pfn, out var vpn))
            {
                type = LruType.Anon;
                machine._rmap[copy] = vpn;
                machine._ptes[vpn] = copy;
                machine._anonMapped[machine.NodeOf(pfn)]--;
                machine._anonMapped[node]++;
            }
            else if (machine._cached.Remove(pfn, out var owner))
            {
                owner.Mapping.Replace(owner.Index, copy);
                machine._cached[copy] = owner;
            }
            machine._lruvecs[node].Add(copy, (int)ZoneIndex.Type(zone), type, 0, LruAdd.Cold);
            Free(pfn);
            return copy;
        }
    }
}

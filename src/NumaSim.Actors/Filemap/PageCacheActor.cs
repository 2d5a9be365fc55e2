using Akka.Actor;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.Filemap;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Filemap;

/// <summary>
/// The page cache: every file's address space, and the one place a page leaves it. A task's read(2) runs here as the
/// model's <see cref="FilemapRead"/>; the pages it needs are allocated by the reading CPU (its per-CPU lists, its
/// zonelist, its slow path, which may reclaim), asked for a readahead run at a time; the pages it caches go on their
/// node's LRU (the node's kswapd owns it) and the pages a read copies are marked accessed there. Reclaim tells this
/// actor what it evicted, and the slot keeps the shadow entry a refault will read.
/// </summary>
public sealed class PageCacheActor : SimComponentActor
{
    private readonly MachineTopology _topology;
    private readonly LatencyModel _latency;
    private readonly Dictionary<string, FileMapping> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _sizes;
    private readonly Dictionary<(int Task, string File), FileRaState> _ra = [];
    private readonly Dictionary<long, (FileMapping Mapping, long Index, int Node)> _cached = [];
    private readonly Dictionary<int, Read> _reads = [];
    private readonly VmEventCounters _events = new();

    public PageCacheActor(Scenario scenario)
        : base(ComponentIds.PageCache, scenario.UsesQuantumWindows)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _topology = scenario.Topology;
        _latency = scenario.Latency;
        _sizes = FileSizes(scenario);
    }

    protected override object State() => CollectState();

    protected override TimelineShare Timeline() => TimelineShare.Of(CollectState());

    public static Props Props(Scenario scenario) => Akka.Actor.Props.Create(() => new PageCacheActor(scenario));

    // Its pages are counted by the lruvecs that hold them (each node's kswapd): only its events are its own.
    private ReclaimState CollectState() => new(ComponentId, _events.Snapshot(), new NodeStatDeltas(_topology.Nodes.Count).Snapshot(), []);

    /// <summary>Whether a scenario reads files (only then does a run have a page cache).</summary>
    public static bool Needed(Scenario scenario) => FileSizes(scenario).Count > 0;

    // A file is as long as the longest read of it (the guest creates it so).
    private static Dictionary<string, long> FileSizes(Scenario scenario)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var step in scenario.Tasks.SelectMany(t => t.Steps).OfType<ReadFileStep>())
        {
            sizes[step.File] = Math.Max(sizes.GetValueOrDefault(step.File), step.Bytes);
        }
        return sizes;
    }

    protected override void Handle(SimEventKey key, ISimPayload payload)
    {
        switch (payload)
        {
            case FileReadRequest request:
                Start(key.Time, request);
                break;
            case PageCacheAllocReply reply:
                Answered(key.Time, reply);
                break;
            case PageCacheMigrate migrate:
                Migrated(key.Time, migrate);
                break;
            case PageCacheEvicted evicted:
                for (var i = 0; i < evicted.Pfns.Length; i++)
                {
                    if (_cached.Remove(evicted.Pfns[i], out var slot))
                    {
                        slot.Mapping.Remove(slot.Index, evicted.Shadows[i]);
                    }
                }
                break;
        }
    }

    // __folio_migrate_mapping of a demoted folio: its slot holds the copy, which joins the target node's LRU; the source
    // node's kswapd frees the old page. Reclaim isolated the folio, so nothing else took it out of the cache meanwhile.
    private void Migrated(long time, PageCacheMigrate migrate)
    {
        if (!_cached.Remove(migrate.Pfn, out var slot))
        {
            throw new InvalidOperationException($"pfn {migrate.Pfn} was demoted but is not in the page cache");
        }
        var node = ZoneIndex.Node(migrate.NewZone);
        slot.Mapping.Replace(slot.Index, migrate.NewPfn);
        _cached[migrate.NewPfn] = (slot.Mapping, slot.Index, node);
        Outbox.Send(ComponentIds.Kswapd(node), time + ServiceTrip(node), NotBefore, new LruAddFile([migrate.NewPfn], [-1]));
        Outbox.Send(ComponentIds.Kswapd(migrate.SourceNode), time + ServiceTrip(migrate.SourceNode), NotBefore, new DemoteDone(migrate.Pfn, true));
    }

    private void Start(long time, FileReadRequest request)
    {
        if (!_files.TryGetValue(request.File, out var mapping))
        {
            var pages = (_sizes.GetValueOrDefault(request.File) + _topology.Arch.PageSize - 1) >> _topology.Arch.PageShift;
            _files[request.File] = mapping = new FileMapping(_files.Count, request.File, pages);
        }
        // A read-file step opens the file afresh: its readahead state starts with the first read.
        if (request.Pos == 0 || !_ra.TryGetValue((request.TaskId, request.File), out var ra))
        {
            _ra[(request.TaskId, request.File)] = ra = new FileRaState();
        }
        var read = new Read(request, new FilemapRead(mapping, ra, request.Pos, request.Length, request.Policy));
        _reads[request.TaskId] = read;
        Drive(read, read.Machine.Begin(), time);
    }

    /// <summary>Runs the read until it needs pages from the CPU or is over.</summary>
    private void Drive(Read read, ReadStep step, long time)
    {
        if (step.Kind == ReadStepKind.Allocate)
        {
            read.Asked = step.Run;
            Outbox.Send(read.Request.ReplyTo, time + Trip(read), NotBefore, new PageCacheAllocRequest(read.Request.TaskId, step.Request!, step.Run));
            return;
        }
        Finish(read, time);
    }

    private void Answered(long time, PageCacheAllocReply reply)
    {
        var read = _reads[reply.TaskId];
        var step = default(ReadStep);
        var xaNodes = 0;
        for (var i = 0; i < reply.Pfns.Length; i++)
        {
            var pfn = reply.Pfns[i];
            step = read.Machine.Resume(pfn);
            xaNodes += read.Machine.NewXaNodes;
            var node = ZoneIndex.Node(reply.Zones[i]);
            _cached[pfn] = (read.Machine.Mapping, read.Machine.LastIndex, node);
            read.Added(node, pfn, read.Machine.Shadow);
            if (i < reply.Pfns.Length - 1 && step.Kind != ReadStepKind.Allocate)
            {
                throw new InvalidOperationException($"the read of {read.Request.File} took {i + 1} of the {reply.Pfns.Length} pages it asked for");
            }
        }
        if (reply.Pfns.Length < read.Asked)
        {
            // The allocation after the last page given failed.
            step = read.Machine.Resume(-1);
        }
        if (xaNodes > 0)
        {
            Outbox.Send(ComponentIds.Slab(read.Request.Cpu), time + Trip(read), NotBefore, new XaNodeAlloc(xaNodes));
        }
        Drive(read, step, time);
    }

    private void Finish(Read read, long time)
    {
        _reads.Remove(read.Request.TaskId);
        var machine = read.Machine;
        var copied = (machine.BytesCopied + _topology.Arch.PageSize - 1) >> _topology.Arch.PageShift;
        _events.Count(VmEventItem.Pgpgin, machine.PagesAllocated * (_topology.Arch.PageSize >> 10));
        var done = time + machine.PagesAllocated * _latency.FileReadNs + copied * _latency.FileCopyNs;
        foreach (var (node, pfns, shadows) in read.AddsByNode())
        {
            Outbox.Send(ComponentIds.Kswapd(node), done + ServiceTrip(node), NotBefore, new LruAddFile(pfns, shadows));
        }
        foreach (var (node, pfns) in AccessedByNode(machine.Accessed))
        {
            Outbox.Send(ComponentIds.Kswapd(node), done + ServiceTrip(node), NotBefore, new LruMarkAccessed(pfns));
        }
        Outbox.Send(read.Request.ReplyTo, done + Trip(read), NotBefore, new FileReadDone(read.Request.TaskId, copied, machine.PagesAllocated, machine.Failed));
    }

    private IEnumerable<(int Node, long[] Pfns)> AccessedByNode(List<long> accessed) =>
        accessed
            .Where(_cached.ContainsKey)
            .GroupBy(pfn => _cached[pfn].Node)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, g.ToArray()));

    private int Node => ComponentIds.NodeOfService(ComponentIds.PageCache, _topology);

    private long Trip(Read read) => _latency.ZoneMessage(_topology.DistanceBetween(Node, _topology.NodeOfCpu(read.Request.Cpu)));

    private long ServiceTrip(int node) => _latency.ZoneMessage(_topology.DistanceBetween(Node, node));

    /// <summary>One read(2) in flight: the model's read, and the pages it cached, by node, for their LRU.</summary>
    private sealed class Read(FileReadRequest request, FilemapRead machine)
    {
        private readonly SortedDictionary<int, (List<long> Pfns, List<long> Shadows)> _adds = [];

        public FileReadRequest Request { get; } = request;

        public FilemapRead Machine { get; } = machine;

        /// <summary>Pages asked of the CPU in the last request.</summary>
        public int Asked { get; set; }

        public void Added(int node, long pfn, long shadow)
        {
            if (!_adds.TryGetValue(node, out var lists))
            {
                _adds[node] = lists = ([], []);
            }
            lists.Pfns.Add(pfn);
            lists.Shadows.Add(shadow);
        }

        public IEnumerable<(int Node, long[] Pfns, long[] Shadows)> AddsByNode() =>
            _adds.Select(a => (a.Key, a.Value.Pfns.ToArray(), a.Value.Shadows.ToArray()));
    }
}

using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Cpus;

/// <summary>The allocation stream: alloc_pages by the scenario's mix, each block freed when its lifetime ends.</summary>
public sealed partial class CpuActor
{
    private readonly CpuWorkload _workload;
    private readonly Dictionary<AllocationKind, AllocationRequest> _streamRequests = new(ReferenceEqualityComparer.Instance);
    private long _streamServed, _streamFailed, _streamFrees, _streamRemote;

    // The stream's allocation in flight: a CPU runs one at a time (it blocks while a zone answers), so its kind and
    // start live here and one delegate finishes them all, rather than a closure per allocation on the hot path.
    private Action<AllocationStep>? _finishStream;
    private AllocationKind? _streamKind;
    private long _streamStart;

    /// <summary>Served and failed stream allocations by [order, migratetype, served 0 / failed 1].</summary>
    private readonly long[,,] _byClass = new long[MaxClassOrder + 1, MigrateTypes.Length, 2];
    // Enum.GetValues allocates and reflects on every call, and the report's timeline asks every CPU for its state.
    private static readonly MigrateType[] MigrateTypes = Enum.GetValues<MigrateType>();
    private const int MaxClassOrder = 15;

    private List<AllocationClassCount> AllocationsByClass()
    {
        var counts = new List<AllocationClassCount>();
        for (var order = 0; order <= MaxClassOrder; order++)
        {
            foreach (var type in MigrateTypes)
            {
                var (served, failed) = (_byClass[order, (int)type, 0], _byClass[order, (int)type, 1]);
                if (served + failed > 0)
                {
                    counts.Add(new AllocationClassCount(order, type.ToString().ToLowerInvariant(), served, failed));
                }
            }
        }
        return counts;
    }

    private void StartStreamAllocation()
    {
        var kind = _workload.Next();
        _streamKind = kind;
        _streamStart = _now;
        _now += Latency.PcpAllocNs;
        _faultTask = null;
        if (!_streamRequests.TryGetValue(kind, out var request))
        {
            _streamRequests[kind] = request = new AllocationRequest(kind.Order, kind.Gfp, _workload.Policy);
        }
        AllocateWatched(request, _finishStream ??= FinishStreamAllocation);
    }

    private void FinishStreamAllocation(AllocationStep step)
    {
        var kind = _streamKind!;
        var start = _streamStart;
        _byClass[Math.Min(kind.Order, MaxClassOrder), (int)kind.Gfp.MigrateType(), step.Kind == AllocationStepKind.Allocated ? 0 : 1]++;
        if (step.Kind == AllocationStepKind.Allocated)
        {
            _streamServed++;
            _accessesByNode[ZoneIndex.Node(step.Zone)]++;
            var remote = ZoneIndex.Node(step.Zone) != NodeId;
            _streamRemote += remote ? 1 : 0;
            _recorder.Record(
                _now - start == Latency.PcpAllocNs ? "alloc_pcp" : remote ? "alloc_zone_remote" : "alloc_zone_local",
                _now - start);
            if (_workload.Lifetime(kind) is { } lifetime)
            {
                Schedule(_now + lifetime, new FreeDue(step.Zone, step.Pfn, kind.Order, kind.Gfp.MigrateType()));
            }
        }
        else
        {
            _streamFailed++;
            _recorder.Record("alloc_failed", _now - start);
        }
        Operations++;
        if (_workload.HasMore)
        {
            Schedule(_now + _workload.ThinkTime(), AllocDue.Instance);
        }
    }
}

using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Cpus;

/// <summary>The allocation stream: alloc_pages by the scenario's mix, each block freed when its lifetime ends.</summary>
public sealed partial class CpuActor
{
    private readonly CpuWorkload _workload;
    private long _streamServed, _streamFailed, _streamFrees, _streamRemote;

    private void StartStreamAllocation()
    {
        var kind = _workload.Next();
        var start = _now;
        _now += _latency.PcpAllocNs;
        var request = new AllocationRequest(kind.Order, kind.Gfp, _workload.Policy);
        AllocatePages(request, step => FinishStreamAllocation(kind, start, step));
    }

    private void FinishStreamAllocation(AllocationKind kind, long start, AllocationStep step)
    {
        if (step.Kind == AllocationStepKind.Allocated)
        {
            _streamServed++;
            _accessesByNode[ZoneIndex.Node(step.Zone)]++;
            var remote = ZoneIndex.Node(step.Zone) != Node;
            _streamRemote += remote ? 1 : 0;
            _recorder.Record(
                _now - start == _latency.PcpAllocNs ? "alloc_pcp" : remote ? "alloc_zone_remote" : "alloc_zone_local",
                _now - start);
            if (_workload.Lifetime(kind) is { } lifetime)
            {
                Schedule(_now + lifetime, new FreeDue(step.Zone, step.Pfn, kind.Order, kind.Gfp.MigrateType()));
            }
        }
        else
        {
            _streamFailed++;
            if (kind.Gfp.CanDirectReclaim())
            {
                _now += _latency.DirectReclaimNs;
            }
            _recorder.Record("alloc_failed", _now - start);
        }
        Operations++;
        if (_workload.HasMore)
        {
            Schedule(_now + _workload.ThinkTime(), AllocDue.Instance);
        }
    }
}

using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// A task's read(2): the page cache runs it and asks this CPU for the pages it lacks, which this CPU allocates as
/// the reading task would (its lists, its zonelist, its slow path), a readahead run at a time.
/// </summary>
public sealed partial class CpuActor
{
    private readonly List<long> _cachePfns = [];
    private readonly List<int> _cacheZones = [];
    private PageCacheAllocRequest? _cacheAsk;
    private Action<AllocationStep>? _cachePage;

    private long PageCacheTrip => ServiceTrip(ComponentIds.NodeOfService(ComponentIds.PageCache, Topology));

    private void ReadFile(SimTask task, TaskAction action, MemPolicy policy)
    {
        var start = _now;
        AskService<FileReadDone>(ComponentIds.PageCache, _now + PageCacheTrip,
            new FileReadRequest(CpuId, task.Id, action.File!, action.Value, action.Length, policy, ComponentId),
            done =>
            {
                _recorder.Record(done.PagesRead > 0 ? "read_file_miss" : "read_file_hit", _now - start);
                Operations++;
                ScheduleStep(task);
            });
    }

    private void ServeCacheAllocation(PageCacheAllocRequest request)
    {
        _cacheAsk = request;
        _cachePfns.Clear();
        _cacheZones.Clear();
        NextCachePage();
    }

    private void NextCachePage()
    {
        _now += Latency.PcpAllocNs;
        _faultTask = null;
        AllocateWatched(_cacheAsk!.Request, _cachePage ??= CachePageAllocated);
    }

    private void CachePageAllocated(AllocationStep step)
    {
        var ask = _cacheAsk!;
        if (step.Kind == AllocationStepKind.Allocated)
        {
            _cachePfns.Add(step.Pfn);
            _cacheZones.Add(step.Zone);
            if (_cachePfns.Count < ask.Count)
            {
                NextCachePage();
                return;
            }
        }
        _cacheAsk = null;
        AnswerService(ComponentIds.PageCache, _now + PageCacheTrip, new PageCacheAllocReply(ask.TaskId, [.. _cachePfns], [.. _cacheZones]));
    }
}

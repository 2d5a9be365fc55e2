using NumaSim.Actors.Observation;
using NumaSim.Model.Filemap;
using NumaSim.Model.Kernel;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using NumaSim.Model.Snapshots;
using NumaSim.Workloads.Kernel;

namespace NumaSim.Actors.Slabs;

/// <summary>Kernel calls: the stream's allocations and frees, script steps, and what each reports.</summary>
public sealed partial class SlabActor
{
    private readonly KmallocFamily _family;
    private readonly Dictionary<string, ISlabAllocator> _caches = new(StringComparer.Ordinal);
    private readonly List<string> _cacheOrder = [];

    private readonly RateLimit _mightSleep = RateLimit.MightSleep();

    private KernelCall? _call;
    private long _callStart;
    private bool _callFetchedPages;
    private LiveObject? _result;
    private long _zeroBytes;

    private enum Outcome
    {
        Done,
        Failed,
        NeedsPages,

        /// <summary>Done, once every CPU has acknowledged the TLB flush.</summary>
        AwaitsFlush,
    }

    private void StartStreamCall()
    {
        var stream = _stream!;
        _issued++;
        var kind = PickKind(stream);
        var size = kind.MinSize + (long)(_random.NextUInt64() % (ulong)(kind.MaxSize - kind.MinSize + 1));
        Start(new KernelCall(kind.Op, size, kind.Gfp, kind.Cache, stream.Node) { Kind = kind });
    }

    private KernelAllocKind PickKind(KernelStream stream)
    {
        var pick = _random.Next(stream.TotalWeight);
        var mix = stream.Mix;
        for (var i = 0; i < mix.Count; i++)
        {
            var kind = mix[i];
            if (pick < kind.Weight)
            {
                return kind;
            }
            pick -= kind.Weight;
        }
        return stream.Mix[^1];
    }

    private static KernelCall FreeCall(LiveObject target) => target.AllocatedBy switch
    {
        KernelOp.KmemCacheAlloc => new KernelCall(KernelOp.KmemCacheFree, 0, Gfp.None, target.Cache, -1) { Target = target },
        KernelOp.Vmalloc => new KernelCall(KernelOp.Vfree, 0, Gfp.None, null, -1) { Target = target },
        _ => new KernelCall(KernelOp.Kfree, 0, Gfp.None, null, -1) { Target = target },
    };

    private KernelCall ScriptCall(ScriptStep step)
    {
        // A name whose allocation failed holds NULL: freeing it is kfree(NULL), a no-op.
        var target = step.Object is { } name && _named.TryGetValue(name, out var live) ? live : null;
        var op = step.Op == KernelOp.KmemCacheFree && target is null ? KernelOp.Kfree : step.Op;
        return new KernelCall(op, step.Size, step.Gfp, step.Cache ?? target?.Cache, step.Node)
        {
            Target = target,
            Name = step.Object,
            Step = step,
        };
    }

    /// <summary>xas_alloc of the next node the page cache asked for: GFP_NOWAIT first.</summary>
    private void NextXaNode()
    {
        _xaNodesPending--;
        StartXaNode(Gfp.NoWait);
    }

    private void StartXaNode(Gfp gfp) =>
        Start(new KernelCall(KernelOp.KmemCacheAlloc, 0, gfp, XarrayNodes.CacheName, -1) { ForPageCache = true });

    private void Start(KernelCall call)
    {
        _call = call;
        _callStart = _now;
        _callFetchedPages = false;
        _result = null;
        _zeroBytes = 0;
        if (call.Allocates && call.Gfp.CanDirectReclaim() && _context.IsAtomic())
        {
            // might_alloc: the kernel complains (once a second at most) and goes on.
            _sleepingInAtomic++;
            if (_mightSleep.Allow(_now))
            {
                AddError(new SimError("sleeping_in_atomic", string.Join('\n', KernelMessages.SleepingInAtomic(Comm, 0, _context)), _cpu, _now));
            }
        }
        Attempt();
    }

    /// <summary>Runs the call; when it needs a block it does not have, fetches it and runs the call again.</summary>
    private void Attempt()
    {
        _pages.BeginAttempt();
        var outcome = Execute(_call!);
        if (outcome == Outcome.AwaitsFlush)
        {
            return;
        }
        if (outcome == Outcome.NeedsPages)
        {
            _fetching = _pages.Pending!.Value;
            _callFetchedPages = true;
            FetchPages();
            return;
        }
        Finish(outcome == Outcome.Done);
    }

    private Outcome Execute(KernelCall call)
    {
        switch (call.Op)
        {
            case KernelOp.Kmalloc or KernelOp.Kzalloc:
                var gfp = call.Op == KernelOp.Kzalloc ? call.Gfp | Gfp.Zero : call.Gfp;
                var result = _family.Kmalloc(_cpu, call.Size, gfp, call.Node);
                if (!result.Succeeded)
                {
                    return Unfinished();
                }
                _result = new LiveObject(call.Op, result.Address, null);
                _zeroBytes = result.Zeroed ? result.BytesAlloc : 0;
                return Outcome.Done;
            case KernelOp.KmemCacheAlloc:
                if (!_caches.TryGetValue(call.Cache!, out var cache) || cache.IsDestroyed)
                {
                    return Outcome.Failed;
                }
                if (!cache.Allocate(_cpu, call.Node, call.Gfp, out var address))
                {
                    return Unfinished();
                }
                _result = new LiveObject(call.Op, address, call.Cache);
                _zeroBytes = (call.Gfp & Gfp.Zero) != 0 ? cache.Cache.ObjectSize : 0;
                return Outcome.Done;
            case KernelOp.Kfree:
                _family.Kfree(_cpu, call.Target?.Address ?? ObjectAddress.Null);
                return Outcome.Done;
            case KernelOp.KmemCacheFree:
                var owner = _caches[call.Cache!];
                if (owner.IsDestroyed)
                {
                    AddError(new SimError("free_to_destroyed_cache", $"kmem_cache_free of {call.Target!.Address} to destroyed cache {call.Cache}", _cpu, _now) { Cache = call.Cache });
                    return Outcome.Failed;
                }
                owner.Free(_cpu, call.Target!.Address);
                return Outcome.Done;
            case KernelOp.Write:
                // A write through a NULL pointer (failed allocation) would oops; the model skips it.
                if (call.Target is { } target)
                {
                    _family.Write(target.Address, call.Step!.Offset, call.Step.Length, call.Step.Value);
                }
                return Outcome.Done;
            case KernelOp.Context:
                _context = call.Step!.Context;
                return Outcome.Done;
            case KernelOp.KmemCacheDestroy:
                Destroy(_caches[call.Cache!]);
                return Outcome.Done;
            default:
                return ExecuteVmalloc(call);
        }
    }

    /// <summary>A failed model call: waiting for a block, or out of memory for good.</summary>
    private Outcome Unfinished() => _pages.Pending is null ? Outcome.Failed : Outcome.NeedsPages;

    private void Destroy(ISlabAllocator cache)
    {
        if (cache.IsDestroyed)
        {
            return;
        }
        var outcome = cache.Destroy();
        foreach (var report in outcome.Reports)
        {
            AddReport(report);
        }
        if (outcome.Warning($"numasim_script+0x0/0x0") is { } warning)
        {
            AddError(new SimError("objects_remaining", warning, _cpu, _now) { Cache = cache.Cache.Name });
        }
    }

    private void Finish(bool succeeded)
    {
        var call = _call!;
        _call = null;
        _pages.EndOperation();
        foreach (var report in _family.DrainReports())
        {
            AddReport(report);
        }
        foreach (var cache in _caches.Values)
        {
            foreach (var report in cache.DrainReports())
            {
                AddReport(report);
            }
        }
        FreeReturnedPages();

        var cost = call.Allocates
            ? _latency.SlabAllocNs + (_zeroBytes * _latency.PageZeroNs + _topology.Arch.PageSize - 1) / _topology.Arch.PageSize
            : call.Op is KernelOp.Context or KernelOp.Write ? 0 : _latency.SlabFreeNs;
        _now += cost;
        var name = call.Op.ApiName();
        if (call.Allocates)
        {
            _allocations++;
            if (!succeeded)
            {
                _failed++;
            }
            _recorder.Record(!succeeded ? "kalloc_failed" : _callFetchedPages ? $"{name}_new_pages" : name, _now - _callStart);
            if (call.Name is { } objectName)
            {
                _named[objectName] = succeeded ? _result : null;
            }
            if (succeeded && call.Kind is { } kind && LifetimeOf(kind) is { } lifetime)
            {
                Schedule(_now + lifetime, new KernelFreeDue(_result!));
            }
        }
        else if (call.Op is KernelOp.Kfree or KernelOp.KmemCacheFree or KernelOp.Vfree)
        {
            _frees++;
            _recorder.Record(name, _now - _callStart);
        }
        if (call.Op != KernelOp.Context && (call.Step is null || call.Step.Cpu == _cpu) && !call.ForPageCache)
        {
            Operations++;
        }
        if (call.Kind is not null && _issued < _stream!.Operations)
        {
            Schedule(_now + _random.Exponential(_stream.MeanThinkTimeNs), KernelAllocDue.Instance);
        }
        if (call.ForPageCache && !succeeded && call.Gfp == Gfp.NoWait)
        {
            // xas_nomem retries with the mapping's reclaim flags.
            StartXaNode(Gfp.Kernel);
        }
        else if (call.ForPageCache && _xaNodesPending > 0)
        {
            NextXaNode();
        }
    }

    private long? LifetimeOf(KernelAllocKind kind) => kind.MeanLifetimeNs is { } mean ? Math.Max(1, _random.Exponential(mean)) : null;

    private void AddReport(SlabDebugReport report)
    {
        if (report.Silent)
        {
            return;
        }
        _debugReports++;
        AddError(new SimError(SnakeCase(report.Kind.ToString()), report.Text, _cpu, _now)
        {
            Cache = report.Cache,
            Address = report.Address.ToString(),
        });
    }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}

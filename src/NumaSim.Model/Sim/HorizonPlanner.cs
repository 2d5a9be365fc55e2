namespace NumaSim.Model.Sim;

/// <summary>
/// The conservative clock: from every component's earliest pending event (its own queue plus what
/// was sent to it), how far each may run so that nothing can still arrive earlier. A component
/// can only be reached by links with a latency floor (CPU to zone, zone to CPU, CPU to CPU when
/// tasks move), so its horizon is the earliest time any possible sender could make something
/// arrive; a CPU waiting for one zone's pages only by that zone, which answers only the CPUs that asked it (so once its
/// answer is delivered and the zone has nothing left, the CPU runs on past it). Kernel services (a node's kswapd, the
/// page cache) answer CPUs as zones do and also send to zones and to
/// each other (reclaimed pages, evictions, LRU additions) over a link of their own, which bounds every non-CPU
/// component's horizon too. Only components with an event before their horizon run in a round; idle ones cost nothing.
/// Under memory pressure CPUs reach each other: an allocation in direct reclaim may drain every CPU's per-CPU lists
/// (an IPI each) and ask the OOM killer, which asks every CPU for its tasks and one of them to kill its victim. So
/// while some CPU reclaims, CPUs are linked by the pressure link, and while the OOM killer has work, every CPU is
/// bounded by it; a run without pressure plans exactly as without either.
/// With swap, a kernel service also asks a CPU that is not waiting for it (reclaim's
/// try_to_unmap of a page the CPU's task maps) over a link of its own, so a service's next event, and anything a CPU
/// may still send a service, bounds every CPU's horizon as well.
/// With demotion, a kswapd asks a zone for pages and the zone answers it: zones then bound the services too.
/// The page cache gives the reading CPU's slab front-end work unasked (the xarray nodes of the pages it stored, in answer
/// to the pages that CPU gave it): only the front-ends then wait for the page cache, and for what a CPU may send it.
/// A CPU whose horizon is set by what it could send itself may run on to <see cref="Beyond"/> while it sends nothing;
/// a component that knows some of its events send nothing (a kswapd's LRU bookkeeping without swap) reports the
/// earliest of the others, and only those bound anyone.
/// With a quantum, rounds are instead global windows [T, T + quantum) from the earliest event.
/// </summary>
public sealed class HorizonPlanner
{
    private readonly int[] _ids;
    private readonly bool[] _isCpu;
    private readonly bool[] _isService;
    private readonly long _serviceLink;
    private readonly long _serviceToCpu;
    private readonly long _zoneToService;
    private readonly bool[] _asker;
    private readonly bool[] _asked;
    private readonly long _askLatency;
    private readonly Dictionary<int, int> _slot = [];
    private readonly long[] _next;
    // The earliest event from which each could send anything: its next event, unless that is bookkeeping that sends nothing.
    private readonly long[] _sends;
    private readonly bool[] _ignoresBookkeeping;
    private readonly bool[] _finished;
    private readonly bool[] _pending;
    private readonly bool[] _blocked;
    private readonly bool[] _reclaiming;
    private readonly int[] _awaited;
    private readonly bool[] _reachesEveryCpu;
    private readonly long _pressureLink;
    private readonly long _cpuToZone;
    private readonly long _zoneToCpu;
    private readonly long _cpuToCpu;
    private readonly long _quantum;
    private readonly Dictionary<int, long> _beyond = [];

    /// <param name="components">Every component's id.</param>
    /// <param name="isCpu">Whether a component is CPU-side (it asks and waits for answers).</param>
    /// <param name="cpuToZone">The latency floor from a CPU to any other component.</param>
    /// <param name="zoneToCpu">The latency floor from a zone or a kernel service back to a CPU.</param>
    /// <param name="cpuToCpu">The latency floor between CPUs (long.MaxValue when they never talk).</param>
    /// <param name="quantum">Global windows of this width instead (0: conservative horizons).</param>
    /// <param name="isService">Whether a component is a kernel service that sends to zones and services.</param>
    /// <param name="serviceLink">The latency floor from a kernel service to a zone or another service.</param>
    /// <param name="reachesEveryCpu">A kernel service that may send to any CPU unasked (the OOM killer).</param>
    /// <param name="pressureLink">The latency floor between CPUs while one of them reclaims directly (its drain IPIs).</param>
    /// <param name="serviceToCpu">
    /// The latency floor of what a kernel service sends a CPU that does not wait for it (reclaim's unmap requests
    /// when the machine swaps); long.MaxValue when services never do.
    /// </param>
    /// <param name="zoneToService">
    /// The latency floor of a zone's answer to a kernel service that asked it for pages (demotion's target pages);
    /// long.MaxValue when services never ask.
    /// </param>
    /// <param name="asker">A kernel service that may give CPU-side components work unasked (the page cache: a reader's xarray nodes).</param>
    /// <param name="asked">The CPU-side components it may give work to (the slab front-ends): only they wait for it.</param>
    /// <param name="askLatency">The latency floor of that work's message; long.MaxValue when it never sends any.</param>
    public HorizonPlanner(IReadOnlyList<int> components, Func<int, bool> isCpu, long cpuToZone, long zoneToCpu, long cpuToCpu, long quantum,
        Func<int, bool>? isService = null, long serviceLink = long.MaxValue, Func<int, bool>? reachesEveryCpu = null, long pressureLink = long.MaxValue,
        long serviceToCpu = long.MaxValue, long zoneToService = long.MaxValue,
        Func<int, bool>? asker = null, Func<int, bool>? asked = null, long askLatency = long.MaxValue)
    {
        _serviceToCpu = serviceToCpu;
        _zoneToService = zoneToService;
        _ids = [.. components.Order()];
        _isCpu = [.. _ids.Select(isCpu)];
        _isService = [.. _ids.Select(id => isService?.Invoke(id) ?? false)];
        _asker = [.. _ids.Select(id => asker?.Invoke(id) ?? false)];
        _asked = [.. _ids.Select(id => asked?.Invoke(id) ?? false)];
        _askLatency = askLatency;
        _serviceLink = serviceLink;
        for (var i = 0; i < _ids.Length; i++)
        {
            _slot[_ids[i]] = i;
        }
        _next = new long[_ids.Length];
        _sends = new long[_ids.Length];
        _ignoresBookkeeping = new bool[_ids.Length];
        _finished = new bool[_ids.Length];
        _pending = new bool[_ids.Length];
        _blocked = new bool[_ids.Length];
        _reclaiming = new bool[_ids.Length];
        _awaited = new int[_ids.Length];
        _reachesEveryCpu = [.. _ids.Select(id => reachesEveryCpu?.Invoke(id) ?? false)];
        // No longer than a hop to a service: what a CPU sends the OOM killer (a request, its tasks) comes back to a
        // CPU, itself included, two hops later, and a round trip over this link must not take longer.
        _pressureLink = Math.Min(pressureLink, Math.Min(cpuToZone, zoneToCpu));
        _cpuToZone = cpuToZone;
        _zoneToCpu = zoneToCpu;
        _cpuToCpu = cpuToCpu;
        _quantum = quantum;
    }

    public long Rounds { get; private set; }

    /// <summary>
    /// For the last plan, each CPU whose horizon is set by what it could send itself, and how far it may run while it
    /// sends nothing: every other bound (see <see cref="SelfChain"/>). Only entries past the planned horizon.
    /// </summary>
    public IReadOnlyDictionary<int, long> Beyond => _beyond;

    /// <summary>
    /// The shortest way something a CPU sends can come back to it unasked (a kernel service's request, an IPI answered by
    /// another): a CPU that first sends at T may run to T plus this, and to <see cref="Beyond"/> while it sends nothing.
    /// </summary>
    public long SelfChain { get; private set; } = long.MaxValue;

    /// <summary>Component windows planned over all rounds: over <see cref="Rounds"/>, how many components a round runs side by side.</summary>
    public long Windows { get; private set; }

    /// <summary>Every component reported finished and nothing sent is still unread.</summary>
    public bool AllFinished => _finished.All(f => f) && !_pending.Any(p => p);

    public long EarliestEvent => _next.Length == 0 ? long.MaxValue : _next.Min();

    /// <summary>First phase of folding a round: what each component that ran holds now.</summary>
    /// <param name="blocked">A CPU waiting for an answer (a zone's, or shootdown acknowledgements).</param>
    /// <param name="reclaiming">A CPU whose allocation has entered direct reclaim and has not ended.</param>
    /// <param name="awaited">
    /// The one non-CPU component a blocked CPU waits for (the zone it asked for pages, which answers when it serves the
    /// request, at its next event or later); -1 when the answer may come from more than one.
    /// </param>
    /// <param name="nextSend">
    /// The earliest event from which it could send anything, when it knows some of its events send nothing (a kswapd's
    /// LRU bookkeeping without swap); long.MinValue: any of them could.
    /// </param>
    public void Ran(int component, long nextEvent, bool finished, bool blocked, bool reclaiming = false, int awaited = -1, long nextSend = long.MinValue)
    {
        var i = _slot[component];
        _next[i] = nextEvent;
        _ignoresBookkeeping[i] = nextSend != long.MinValue;
        _sends[i] = _ignoresBookkeeping[i] ? nextSend : nextEvent;
        _finished[i] = finished;
        _pending[i] = false;
        _blocked[i] = blocked;
        _reclaiming[i] = reclaiming;
        _awaited[i] = blocked && awaited >= 0 && _slot.TryGetValue(awaited, out var slot) && !_isCpu[slot] ? slot : -1;
    }

    /// <summary>Second phase: what was sent this round is waiting at its destination.</summary>
    /// <param name="bookkeeping">
    /// The batch held LRU bookkeeping alone, from which a destination that said so (<see cref="Ran"/>'s nextSend)
    /// sends nothing.
    /// </param>
    public void Sent(int destination, long arrival, bool bookkeeping = false)
    {
        var i = _slot[destination];
        _next[i] = Math.Min(_next[i], arrival);
        if (!bookkeeping || !_ignoresBookkeeping[i])
        {
            _sends[i] = Math.Min(_sends[i], arrival);
        }
        _pending[i] = true;
    }

    /// <summary>The components that have work, each with the time it may run to.</summary>
    public IReadOnlyDictionary<int, long> Plan()
    {
        Rounds++;
        var plan = new SortedDictionary<int, long>();
        _beyond.Clear();
        if (_quantum > 0)
        {
            var start = EarliestEvent;
            var until = Add(start, _quantum);
            for (var i = 0; i < _ids.Length; i++)
            {
                if (_next[i] < until)
                {
                    plan[_ids[i]] = until;
                }
            }
            Windows += plan.Count;
            return plan;
        }
        // Earliest answers a waiting CPU could get: from a zone (its next event plus the trip
        // back) or, for shootdown acknowledgements, from a CPU (the earliest CPU event plus an IPI).
        long zoneMin = long.MaxValue, cpuNextMin = long.MaxValue, everyCpuMin = long.MaxValue;
        // The same over the events from which a zone or a service could send anything (not a kswapd's LRU bookkeeping).
        long zoneToCpuMin = long.MaxValue, serviceToCpuMin = long.MaxValue;
        // The earliest the service that gives CPU-side components work could send it.
        var askerMin = long.MaxValue;
        var reclaiming = false;
        for (var i = 0; i < _ids.Length; i++)
        {
            if (_isCpu[i])
            {
                cpuNextMin = Math.Min(cpuNextMin, _next[i]);
                reclaiming |= _reclaiming[i];
            }
            else
            {
                zoneMin = Math.Min(zoneMin, _next[i]);
                zoneToCpuMin = Math.Min(zoneToCpuMin, _sends[i]);
                if (_isService[i])
                {
                    serviceToCpuMin = Math.Min(serviceToCpuMin, _sends[i]);
                }
                if (_asker[i])
                {
                    askerMin = Math.Min(askerMin, _sends[i]);
                }
            }
            if (_reachesEveryCpu[i])
            {
                everyCpuMin = Math.Min(everyCpuMin, _next[i]);
            }
        }
        var cpuToCpu = reclaiming ? Math.Min(_cpuToCpu, _pressureLink) : _cpuToCpu;
        var unasked = Add(everyCpuMin, _zoneToCpu);
        var answer = Math.Min(Add(zoneToCpuMin, _zoneToCpu), Add(cpuNextMin, cpuToCpu));

        // The earliest each CPU could send anything: its next event, or, while it waits, its answer.
        var toZoneMin = long.MaxValue;
        long toCpuMin = long.MaxValue, toCpuSecond = long.MaxValue;
        var toCpuMinSlot = -1;
        for (var i = 0; i < _ids.Length; i++)
        {
            if (!_isCpu[i])
            {
                continue;
            }
            // Its next event bounds both: an answer already delivered is among its events.
            var send = EarliestSend(i, answer);
            toZoneMin = Math.Min(toZoneMin, send);
            var toCpu = send;
            if (toCpu < toCpuMin)
            {
                toCpuSecond = toCpuMin;
                toCpuMin = toCpu;
                toCpuMinSlot = i;
            }
            else
            {
                toCpuSecond = Math.Min(toCpuSecond, toCpu);
            }
        }
        // The earliest a kernel service could send to a zone or another service: its first event that may send (the
        // first and second earliest, so that a service is not bounded by itself).
        long serviceMin = long.MaxValue, serviceSecond = long.MaxValue;
        var serviceMinSlot = -1;
        for (var i = 0; i < _ids.Length; i++)
        {
            if (!_isService[i])
            {
                continue;
            }
            if (_sends[i] < serviceMin)
            {
                serviceSecond = serviceMin;
                serviceMin = _sends[i];
                serviceMinSlot = i;
            }
            else
            {
                serviceSecond = Math.Min(serviceSecond, _sends[i]);
            }
        }
        // What a CPU sends can come back to it: another CPU's answer to a migration (a shootdown), a service's request.
        SelfChain = Math.Min(Add(cpuToCpu, cpuToCpu), Add(_cpuToZone, _serviceToCpu));
        for (var i = 0; i < _ids.Length; i++)
        {
            long horizon;
            if (_isCpu[i])
            {
                // Zones only answer the CPU that asked; other CPUs reach it by IPIs and migrations,
                // also in answer to what it sends them itself (a migration, then a shootdown back).
                var otherCpus = i == toCpuMinSlot ? toCpuSecond : toCpuMin;
                var beyond = Math.Min(Math.Min(_blocked[i] ? AnswerFor(i, answer) : long.MaxValue, Add(otherCpus, cpuToCpu)), unasked);
                // A service's own next event, or what another CPU sends one, can come back unasked.
                beyond = Math.Min(beyond, Add(Math.Min(serviceToCpuMin, Add(otherCpus, _cpuToZone)), _serviceToCpu));
                // So can a zone's answer to a service (demotion's pages, then the remap the service asks of a CPU).
                beyond = Math.Min(beyond, Add(Add(zoneToCpuMin, _zoneToService), _serviceToCpu));
                if (_asked[i])
                {
                    // The page cache gives work in answer to what a CPU sends it (a reader's pages), or from its own events.
                    beyond = Math.Min(beyond, Add(Math.Min(askerMin, Add(otherCpus, _cpuToZone)), _askLatency));
                }
                // And what this CPU itself sends, from its next event (or its answer) on.
                horizon = Math.Min(beyond, Add(EarliestSend(i, answer), SelfChain));
                if (beyond > horizon && _next[i] < horizon)
                {
                    _beyond[_ids[i]] = beyond;
                }
            }
            else
            {
                var fromServices = Add(i == serviceMinSlot ? serviceSecond : serviceMin, _serviceLink);
                horizon = Math.Min(Add(toZoneMin, _cpuToZone), fromServices);
                // A CPU a service asked unasked answers at once: the service's own request can come back (the swap
                // owner's unmap requests, the OOM killer's census and kill).
                horizon = Math.Min(horizon, Add(Add(serviceToCpuMin, _serviceToCpu), _cpuToZone));
                horizon = Math.Min(horizon, Add(Add(Math.Min(askerMin, Add(toZoneMin, _cpuToZone)), _askLatency), _cpuToZone));
                horizon = Math.Min(horizon, Add(Add(everyCpuMin, _zoneToCpu), _cpuToZone));
                // A zone a service asked for pages answers it (zoneMin also counts the services: a bound, no more).
                horizon = Math.Min(horizon, Add(zoneMin, _zoneToService));
            }
            if (_next[i] < horizon)
            {
                plan[_ids[i]] = horizon;
            }
        }
        Windows += plan.Count;
        return plan;
    }

    // The earliest answer a blocked CPU could get: from the one zone it asked, that zone's next event plus the trip back
    // (its request is among that zone's events, or was served and the answer is among the CPU's own); else from anyone.
    private long EarliestSend(int cpu, long anyAnswer) => _blocked[cpu] ? Math.Min(_next[cpu], AnswerFor(cpu, anyAnswer)) : _next[cpu];

    private long AnswerFor(int cpu, long anyAnswer) =>
        _awaited[cpu] < 0 ? anyAnswer : Add(_next[_awaited[cpu]], _zoneToCpu);

    private static long Add(long time, long latency) =>
        time == long.MaxValue || latency == long.MaxValue || time > long.MaxValue - latency ? long.MaxValue : time + latency;
}

using Akka.Actor;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.Kernel;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Model.Stats;
using NumaSim.Model.Swap;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Reclaim;

/// <summary>
/// The OOM killer (mm/oom_kill.c), one per run, where a run has tasks. It is oom_lock: one allocation's
/// out_of_memory at a time; another that comes meanwhile waits until the victim is gone and is then told to retry
/// (its allocation may now succeed), as __alloc_pages_may_oom does when mutex_trylock fails. For the holder it walks
/// every task (each CPU answers for its own, <see cref="OomCensus"/>), chooses with <see cref="OomBadness.Choose"/>,
/// and has the victim's CPU kill it (<see cref="OomKillTask"/>); an allocating task that is itself the victim is told
/// so and dies in its fault. The holder's allocation retries once the victim's memory is on its way back.
/// </summary>
public sealed class OomKillerActor : SimComponentActor
{
    private readonly MachineTopology _topology;
    private readonly LatencyModel _latency;
    private readonly (int Node, long PresentPages)[] _memoryNodes;
    private readonly long _swapPages;
    private readonly int _zoneSlots;
    private readonly Queue<OomRequest> _waiting = new();
    private readonly List<(int Cpu, OomTask Task)> _census = [];
    private long _now;

    // The lock holder's request, the census still to come, and the victim while it dies (-1: none yet).
    private OomRequest? _holder;
    private bool _holderAnswered;
    private int _censusLeft;
    private int _victimPid = -1;
    private string? _victimReport;

    public OomKillerActor(PageAllocatorSetup setup, LatencyModel latency, bool quantumWindows)
        : base(ComponentIds.OomKiller, quantumWindows)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _topology = setup.Topology;
        _latency = latency;
        _zoneSlots = setup.ZoneSlots;
        _memoryNodes = [.. _topology.Nodes.Where(n => n.Zones.Count > 0).Select(n => (n.Id, n.Zones.Sum(z => z.Present)))];
        _swapPages = SwapSpace.PagesFor(_topology.SwapBytes, _topology.Arch.PageSize);
    }

    protected override object State() => CollectState();

    protected override TimelineShare Timeline() => TimelineShare.Of(CollectState());

    // The OOM killer changes no counter of its own: the victim's CPU counts the kill and its freed pages.
    private ReclaimState CollectState() =>
        new(ComponentId, new VmEventCounters().Snapshot(), new NodeStatDeltas(_topology.Nodes.Count).Snapshot(), []);

    public static Props Props(PageAllocatorSetup setup, LatencyModel latency, bool quantumWindows) =>
        Akka.Actor.Props.Create(() => new OomKillerActor(setup, latency, quantumWindows));

    /// <summary>Whether a run has tasks (only tasks are killed, so only then is there an OOM killer to ask).</summary>
    public static bool Needed(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario.Tasks.Count > 0;
    }

    protected override void Handle(SimEventKey key, ISimPayload payload)
    {
        _now = Math.Max(_now, key.Time);
        switch (payload)
        {
            case OomRequest request when _holder is null:
                Lock(request);
                break;
            case OomRequest request when request.Pid >= 0 && request.Pid == _victimPid:
                // The victim's own allocation came here before its CPU could kill it: it dies in its fault.
                Send(request.ReplyTo, new OomAnswer(OomOutcome.Victim, [], _victimReport));
                break;
            case OomRequest request:
                _waiting.Enqueue(request);
                break;
            case OomCandidates candidates:
                foreach (var task in candidates.Tasks)
                {
                    _census.Add((candidates.Cpu, task));
                }
                if (--_censusLeft == 0)
                {
                    Choose();
                }
                break;
            case OomKillDone done:
                Unlock(done);
                break;
        }
    }

    private void Lock(OomRequest request)
    {
        _holder = request;
        _holderAnswered = false;
        _census.Clear();
        _censusLeft = _topology.AllCpus.Count();
        foreach (var cpu in _topology.AllCpus)
        {
            Send(ComponentIds.Cpu(cpu), new OomCensus(ComponentId));
        }
    }

    private void Choose()
    {
        var holder = _holder!;
        var choice = OomBadness.Choose(_census.Select(c => c.Task), holder.Nodemask, _memoryNodes, _swapPages, _topology.Arch.PageShift);
        if (choice.Victim is not { } victim)
        {
            Send(holder.ReplyTo, new OomAnswer(OomOutcome.NoVictim, [], null));
            _holderAnswered = true;
            Unlock(new OomKillDone(false, []));
            return;
        }
        _victimPid = victim.Pid;
        _victimReport = choice.Report;
        if (victim.Pid == holder.Pid)
        {
            Send(holder.ReplyTo, new OomAnswer(OomOutcome.Victim, [], choice.Report));
            _holderAnswered = true;
            return;
        }
        if (_waiting.FirstOrDefault(w => w.Pid == victim.Pid) is { } parked)
        {
            // The victim's own allocation waits for the lock: it dies in its fault.
            var others = _waiting.Where(w => w != parked).ToList();
            _waiting.Clear();
            others.ForEach(_waiting.Enqueue);
            Send(parked.ReplyTo, new OomAnswer(OomOutcome.Victim, [], choice.Report));
            return;
        }
        var cpu = _census.First(c => c.Task.Pid == victim.Pid).Cpu;
        Send(ComponentIds.Cpu(cpu), new OomKillTask(victim.Pid, choice.Report!, ComponentId));
    }

    /// <summary>The victim is gone: the holder retries with what it gave back, and so does every allocation that waited.</summary>
    private void Unlock(OomKillDone done)
    {
        if (_holder is not { } holder)
        {
            // A victim that had left its CPU answered after the lock was let go: nothing waits for it.
            return;
        }
        if (!_holderAnswered)
        {
            Send(holder.ReplyTo, new OomAnswer(done.Killed ? OomOutcome.Killed : OomOutcome.Retry, Freed(done), null));
        }
        while (_waiting.TryDequeue(out var waiting))
        {
            Send(waiting.ReplyTo, new OomAnswer(OomOutcome.Retry, Freed(done), null));
        }
        _holder = null;
        _victimPid = -1;
        _victimReport = null;
    }

    private long[] Freed(OomKillDone done) => done.FreedByZone.Length == _zoneSlots ? done.FreedByZone : new long[_zoneSlots];

    private void Send(int cpuSide, ISimPayload payload)
    {
        var node = _topology.NodeOfCpu(ComponentIds.CpuOf(cpuSide));
        var distance = _topology.DistanceBetween(ComponentIds.NodeOfService(ComponentId, _topology), node);
        Outbox.Send(cpuSide, _now + _latency.ZoneMessage(distance), NotBefore, payload);
    }
}

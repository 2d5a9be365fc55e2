using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Model.Stats;

namespace NumaSim.Workloads.Scenarios;

/// <summary>
/// A scenario's working-set tasks and allocation streams run in one thread over <see cref="FaultMachine"/>, as
/// <see cref="PageAllocatorMachine"/> drives the allocator: every CPU's events in one (time, CPU, sequence) order,
/// every zone and IPI answered at once. It does the operations the actors do for the same scenario (the same
/// count), with no clock protocol and no messages: the model's own speed, which `numasim bench` sets the engine's
/// against. Its simulated times differ from a run's (no zone lock, no message in flight), so its counters are not
/// a run's outputs.
/// </summary>
public sealed class ScenarioMachine
{
    // The random streams the CPU actors draw from (a CPU's stream, a task's accesses), so the mixes are the same.
    private const int CpuStreamBase = 1 << 20;
    private const int TaskStreamBase = 2 << 20;

    private readonly Scenario _scenario;
    private readonly FaultMachine _machine;
    private readonly PriorityQueue<Due, SimEventKey> _due = new();
    private readonly CpuWorkload?[] _streams;
    private readonly Dictionary<AllocationKind, AllocationRequest> _requests = new(ReferenceEqualityComparer.Instance);
    private long _sequence;

    public ScenarioMachine(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.Tasks.Any(t => t.HasSteps) || scenario.Kernel.Active || scenario.Faults.Count > 0)
        {
            throw new ArgumentException($"{scenario.Name}: the model-only loop runs working-set tasks and allocation streams only", nameof(scenario));
        }
        _scenario = scenario;
        _machine = new FaultMachine(scenario.Topology, scenario.Latency, scenario.Tlb);
        _streams = new CpuWorkload?[scenario.Topology.CpuIds];
        foreach (var cpu in scenario.Topology.AllCpus)
        {
            var workload = new CpuWorkload(scenario.StreamOf(cpu), new SimRandom(scenario.Seed, CpuStreamBase + cpu));
            if (workload.HasMore)
            {
                _streams[cpu] = workload;
                Push(workload.ThinkTime(), cpu, Due.Alloc);
            }
        }
        var id = 0;
        foreach (var stream in scenario.Tasks)
        {
            for (var i = 0; i < stream.Cpus.Count; i++, id++)
            {
                var task = new Task(id, i, stream, new SimRandom(scenario.Seed, TaskStreamBase + id));
                Push(0, stream.Cpus[i], new Due(DueKind.TaskStart, task, default));
            }
        }
    }

    /// <summary>Operations done, counted as the actors count them (accesses, mm set-ups, munmaps, allocations, frees).</summary>
    public long Operations { get; private set; }

    /// <summary>Allocations that failed.</summary>
    public long Failed { get; private set; }

    /// <summary>A vm_event_item summed over every CPU, as a run's machine state folds it.</summary>
    public long Event(VmEventItem item) => _scenario.Topology.AllCpus.Sum(cpu => _machine.Pages.Cpu(cpu).Events[item]);

    /// <summary>Runs every event to the end.</summary>
    public void Run()
    {
        while (_due.TryDequeue(out var due, out var key))
        {
            var cpu = key.Source;
            _machine.AdvanceTo(cpu, key.Time);
            switch (due.Kind)
            {
                case DueKind.Alloc:
                    Allocate(cpu);
                    break;
                case DueKind.Free:
                    _machine.Pages.Free(cpu, due.Block.Zone, due.Block.Pfn, due.Block.Order, due.Block.Type);
                    Operations++;
                    break;
                case DueKind.TaskStart:
                    Start(cpu, due.Task!);
                    break;
                case DueKind.TaskArrive:
                    due.Task!.Mm!.RanOn(cpu);
                    Next(cpu, due.Task);
                    break;
                default:
                    Step(cpu, due.Task!);
                    break;
            }
        }
    }

    private void Push(long time, int cpu, Due due) => _due.Enqueue(due, new SimEventKey(time, cpu, _sequence++));

    private void Allocate(int cpu)
    {
        var workload = _streams[cpu]!;
        var kind = workload.Next();
        if (!_requests.TryGetValue(kind, out var request))
        {
            _requests[kind] = request = new AllocationRequest(kind.Order, kind.Gfp, workload.Policy);
        }
        var now = _machine.Now(cpu) + _scenario.Latency.PcpAllocNs;
        _machine.AdvanceTo(cpu, now);
        var (pfn, zone) = _machine.Pages.Allocate(cpu, request);
        if (pfn < 0)
        {
            Failed++;
        }
        else if (workload.Lifetime(kind) is { } lifetime)
        {
            Push(now + lifetime, cpu, new Due(DueKind.Free, null, new FreeBlock(zone, pfn, kind.Order, kind.Gfp.MigrateType())));
        }
        Operations++;
        if (workload.HasMore)
        {
            Push(now + workload.ThinkTime(), cpu, Due.Alloc);
        }
    }

    private void Start(int cpu, Task task)
    {
        var outcome = _machine.CreateMm(cpu, task);
        if (outcome.Result != FaultResult.MmCreated)
        {
            return;
        }
        var stream = task.Stream;
        task.BaseVpn = task.Mm!.Mmap(stream.WorkingSetPages, Protection.ReadWrite, stream.Policy, stream.Thp ? task.Mm.Mode.HugePages : 1, stream.Thp);
        Operations++;
        Next(cpu, task);
    }

    private void Step(int cpu, Task task)
    {
        var stream = task.Stream;
        if (task.Pending.TryDequeue(out var kind))
        {
            var chunk = (long)(task.Random.NextUInt64() % (ulong)(stream.WorkingSetPages / stream.ChunkPages));
            var first = task.BaseVpn + chunk * stream.ChunkPages;
            switch (kind)
            {
                case PeriodicStep.Munmap:
                    task.ReadOnly.Remove(chunk);
                    Finish(cpu, task, _machine.UnmapAndRemap(cpu, task, first, stream.ChunkPages, stream.Policy, stream.Thp), false);
                    return;
                case PeriodicStep.Mprotect:
                    var readOnly = task.ReadOnly.Add(chunk) || !task.ReadOnly.Remove(chunk);
                    Finish(cpu, task, _machine.Mprotect(cpu, task, first, stream.ChunkPages, readOnly ? Protection.Read : Protection.ReadWrite), false);
                    return;
                default:
                    // The task moves to the next CPU of its list, arriving a migration's latency later.
                    task.CpuIndex = (task.CpuIndex + 1) % stream.Cpus.Count;
                    var target = stream.Cpus[task.CpuIndex];
                    var topology = _scenario.Topology;
                    Operations++;
                    Push(_machine.Now(cpu) + _scenario.Latency.MigrationNs * topology.DistanceBetween(topology.NodeOfCpu(cpu), topology.NodeOfCpu(target)) / 10, target, new Due(DueKind.TaskArrive, task, default));
                    return;
            }
        }
        var offset = task.Accesses.Next();
        Finish(cpu, task, _machine.Access(cpu, task, task.BaseVpn + offset, task.Random.NextDouble() < stream.WriteRatio), true);
    }

    private void Finish(int cpu, Task task, FaultOutcome outcome, bool access)
    {
        if (outcome.Result is FaultResult.OomKilled)
        {
            Operations++;
            return;
        }
        if (outcome.Result is FaultResult.NoRoot)
        {
            return;
        }
        Operations++;
        if (access)
        {
            task.CountAccess();
        }
        Next(cpu, task);
    }

    private void Next(int cpu, Task task)
    {
        if (!task.Finished)
        {
            Push(_machine.Now(cpu) + task.Random.Exponential(task.Stream.MeanThinkTimeNs), cpu, new Due(DueKind.TaskStep, task, default));
        }
    }

    private enum DueKind
    {
        Alloc,
        Free,
        TaskStart,
        TaskStep,
        TaskArrive,
    }

    private readonly record struct FreeBlock(int Zone, long Pfn, int Order, MigrateType Type);

    private readonly record struct Due(DueKind Kind, Task? Task, FreeBlock Block)
    {
        public static Due Alloc { get; } = new(DueKind.Alloc, null, default);
    }

    /// <summary>A working-set task: its mm, where it is in its accesses, and its periodic steps.</summary>
    private sealed class Task(int id, int cpuIndex, TaskStream stream, SimRandom random) : IMmTask
    {
        public int Id { get; } = id;
        public TaskStream Stream { get; } = stream;
        public SimRandom Random { get; } = random;
        public AccessGenerator Accesses { get; } = new(stream.Pattern, stream.WorkingSetPages, random);
        public AddressSpace? Mm { get; set; }
        public MemPolicy Policy => MemPolicy.Default;
        public long InterleaveNext { get; set; }
        public long BaseVpn { get; set; }
        public int CpuIndex { get; set; } = cpuIndex;
        public Queue<PeriodicStep> Pending { get; } = new();
        public HashSet<long> ReadOnly { get; } = [];
        private long Done { get; set; }

        public bool Finished => Done >= Stream.Accesses && Pending.Count == 0;

        public void Stop()
        {
            Pending.Clear();
            Done = Stream.Accesses;
        }

        public void CountAccess()
        {
            Done++;
            Stream.EnqueueStepsDueAfter(Done, Pending);
        }
    }
}

using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Cpus;

/// <summary>One simulated process: its address space, where it is in its access stream, and its pending mprotect/munmap/migration steps.</summary>
internal sealed class SimTask(int id, TaskStream stream, SimRandom random) : IMmTask
{
    public int Id { get; } = id;

    /// <summary>The one event that says this task's next step is due (immutable, so it is reused).</summary>
    public TaskStepDue StepDue { get; } = new(id);
    public TaskStream Stream { get; } = stream;
    public SimRandom Random { get; } = random;
    public AccessGenerator Accesses { get; } = new(stream.Pattern, stream.WorkingSetPages, random);
    public AddressSpace? Mm { get; set; }
    public long BaseVpn { get; set; }
    public long Done { get; set; }
    public Queue<PeriodicStep> Pending { get; } = new();

    // Whether the stream has periodic steps at all: most do not, and then the queue (a framework generic over one of
    // our enums, run unoptimised in a cold process) is not asked after every access.
    private readonly bool _periodic = stream.MunmapEvery > 0 || stream.MprotectEvery > 0 || stream.MigrateEvery > 0;
    public HashSet<long> ReadOnlyChunks { get; } = [];
    public int CpuIndex { get; set; }
    public long Segfaults { get; set; }

    /// <summary>The steps of a task written as steps (null for a working-set task).</summary>
    public TaskProgram? Program { get; } = stream.HasSteps ? new TaskProgram(stream.Steps) : null;

    /// <summary>
    /// The task's own policy (set_mempolicy), which its page tables are allocated by. A working-set task's
    /// policy is its mapping's (mbind), so the task itself keeps the default.
    /// </summary>
    public MemPolicy Policy => Program?.Policy ?? MemPolicy.Default;

    /// <summary>The task cannot go on (a fault found no memory): it does nothing more and keeps what it holds.</summary>
    public void Stop()
    {
        Program?.Stop();
        Pending.Clear();
        Done = Stream.Accesses;
    }

    /// <summary>The next node of an interleave policy for allocations with no offset to go by (the kernel's il_prev).</summary>
    public long InterleaveNext { get; set; }

    public bool Finished => Mm is not null && (Program is { } p ? p.Finished : Done >= Stream.Accesses && (!_periodic || Pending.Count == 0));

    /// <summary>Time to the task's next step: a working-set task thinks for an exponential time, a program as its step says.</summary>
    public long ThinkNs => Program is { } p ? p.ThinkNs : Random.Exponential(Stream.MeanThinkTimeNs);

    /// <summary>After an access: queue the periodic steps that fall due.</summary>
    public void CountAccess()
    {
        Done++;
        if (_periodic)
        {
            Stream.EnqueueStepsDueAfter(Done, Pending);
        }
    }

    /// <summary>The periodic step that fell due first, if one did.</summary>
    public bool TryTakePending(out PeriodicStep kind)
    {
        kind = default;
        return _periodic && Pending.TryDequeue(out kind);
    }
}

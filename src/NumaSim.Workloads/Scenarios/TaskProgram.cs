using NumaSim.Model.PageAlloc;

namespace NumaSim.Workloads.Scenarios;

/// <summary>What a task written as steps does next.</summary>
public enum TaskActionKind
{
    /// <summary>mmap <see cref="TaskAction.Value"/> bytes (huge-aligned with <see cref="TaskAction.Thp"/>); answer with <see cref="TaskProgram.Mapped"/>.</summary>
    Mmap,

    /// <summary>Write the page at virtual page <see cref="TaskAction.Value"/>.</summary>
    Write,

    /// <summary>Read the page at virtual page <see cref="TaskAction.Value"/>.</summary>
    Read,

    /// <summary>Run on CPU <see cref="TaskAction.Value"/> from now on.</summary>
    MoveTo,

    /// <summary>read(2) <see cref="TaskAction.Length"/> bytes of <see cref="TaskAction.File"/> at offset <see cref="TaskAction.Value"/>.</summary>
    ReadFile,

    /// <summary>migrate_pages(2) from every node to <see cref="TaskAction.Nodes"/>.</summary>
    MigratePages,

    /// <summary>mbind(2) of every mapping to <see cref="TaskAction.Policy"/>; <see cref="TaskAction.Value"/> 1 is MPOL_MF_MOVE.</summary>
    Mbind,

    /// <summary>move_pages(2) of every page of the task, the i-th to the (i mod n)-th of <see cref="TaskAction.Nodes"/>.</summary>
    MovePages,

    /// <summary>Every step is done; the task holds its memory until the run ends.</summary>
    Finished,
}

public readonly record struct TaskAction(TaskActionKind Kind, long Value, bool Thp = false)
{
    /// <summary>The file a ReadFile action reads.</summary>
    public string? File { get; init; }

    /// <summary>The bytes a ReadFile action reads.</summary>
    public long Length { get; init; }

    /// <summary>The nodes a MigratePages or MovePages action moves the task's pages to.</summary>
    public IReadOnlyList<int>? Nodes { get; init; }

    /// <summary>The policy an Mbind action gives the task's mappings.</summary>
    public MemPolicy? Policy { get; init; }
}

/// <summary>
/// The program counter of a task written as steps, as the process runs its system calls and loops: a policy
/// applies to later mappings (set_mempolicy), touch maps memory and writes each page once, in order, with no
/// pause (a tight loop), read-file reads a file from its start in read(2) calls of <see cref="ReadChunkBytes"/>
/// (the buffer of the project's guest program), move-to changes CPU, migrate-to moves the task's pages (migrate_pages), mbind gives its mappings so far a policy (and with move
/// moves their pages), move-pages moves every page (move_pages), and access reads the task's memory sequentially, round and round,
/// one page per think time until its simulated time is up. Pure bookkeeping: the CPU that runs the task does
/// the work and prices it.
/// </summary>
public sealed class TaskProgram(IReadOnlyList<TaskStep> steps)
{
    private readonly List<(long StartVpn, long Pages)> _regions = [];
    private int _next;
    private long _touchLeft, _touchVpn;
    private long _accessEnd = -1;
    private string? _readFile;
    private long _readPos, _readEnd;
    private int _region;
    private long _offset;
    private bool _awaitingMmap, _stopped;

    /// <summary>The task's policy (set_mempolicy): what its new mappings and page tables are allocated by.</summary>
    public MemPolicy Policy { get; private set; } = MemPolicy.Default;

    /// <summary>Simulated time between this action and the next (the access step's think time; 0 elsewhere).</summary>
    public long ThinkNs { get; private set; }

    /// <summary>What one read(2) of a read-file step asks for: 64 KiB.</summary>
    public const int ReadChunkBytes = 64 << 10;

    public bool Finished => _stopped || (_next >= steps.Count && _touchLeft == 0 && _accessEnd < 0 && !_awaitingMmap && _readFile is null);

    /// <summary>The next action at simulated time <paramref name="now"/>.</summary>
    public TaskAction Next(long now)
    {
        while (!_stopped)
        {
            if (_awaitingMmap)
            {
                throw new InvalidOperationException("the mapping asked for has not been reported (Mapped)");
            }
            if (_readFile is { } file)
            {
                var length = Math.Min(ReadChunkBytes, _readEnd - _readPos);
                var action = new TaskAction(TaskActionKind.ReadFile, _readPos) { File = file, Length = length };
                _readPos += length;
                if (_readPos >= _readEnd)
                {
                    _readFile = null;
                }
                return action;
            }
            if (_touchLeft > 0)
            {
                _touchLeft--;
                return new TaskAction(TaskActionKind.Write, _touchVpn++);
            }
            if (_accessEnd >= 0)
            {
                if (now < _accessEnd && _regions.Count > 0)
                {
                    return new TaskAction(TaskActionKind.Read, NextRead());
                }
                _accessEnd = -1;
                ThinkNs = 0;
            }
            if (_next >= steps.Count)
            {
                break;
            }
            switch (steps[_next++])
            {
                case PolicyStep p:
                    Policy = p.Policy;
                    break;
                case ReadFileStep r when r.Bytes > 0:
                    (_readFile, _readPos, _readEnd) = (r.File, 0, r.Bytes);
                    break;
                case TouchStep t:
                    _awaitingMmap = true;
                    return new TaskAction(TaskActionKind.Mmap, t.Bytes, t.Thp);
                case MoveToStep m:
                    return new TaskAction(TaskActionKind.MoveTo, m.Cpu);
                case MigrateToStep g:
                    return new TaskAction(TaskActionKind.MigratePages, 0) { Nodes = g.Nodes };
                case MbindStep b:
                    return new TaskAction(TaskActionKind.Mbind, b.Move ? 1 : 0) { Policy = b.Policy };
                case MovePagesStep v:
                    return new TaskAction(TaskActionKind.MovePages, 0) { Nodes = v.Nodes };
                case AccessStep a:
                    _accessEnd = now + a.DurationNs;
                    ThinkNs = a.ThinkTimeNs;
                    (_region, _offset) = (0, 0);
                    break;
            }
        }
        return new TaskAction(TaskActionKind.Finished, 0);
    }

    /// <summary>The mapping of a touch step is at <paramref name="startVpn"/>, <paramref name="pages"/> long: its pages are written next.</summary>
    public void Mapped(long startVpn, long pages)
    {
        _awaitingMmap = false;
        _regions.Add((startVpn, pages));
        _touchVpn = startVpn;
        _touchLeft = pages;
    }

    /// <summary>The task cannot go on (a fault found no memory): it does nothing more and keeps what it holds.</summary>
    public void Stop() => _stopped = true;

    private long NextRead()
    {
        var (start, pages) = _regions[_region];
        var vpn = start + _offset;
        if (++_offset == pages)
        {
            _offset = 0;
            _region = (_region + 1) % _regions.Count;
        }
        return vpn;
    }
}

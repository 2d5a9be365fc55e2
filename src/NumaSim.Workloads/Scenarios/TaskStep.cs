using NumaSim.Model.PageAlloc;

namespace NumaSim.Workloads.Scenarios;

/// <summary>
/// One step of a task written as `steps` (docs/configuration.md, "Tasks written as steps"): what a real process does with system calls,
/// in order. The same steps drive the simulated task and, under `numasim validate`, a real process.
/// </summary>
public abstract record TaskStep;

/// <summary>set_mempolicy: the policy of the task's later mappings. <see cref="Text"/> is the policy as written.</summary>
public sealed record PolicyStep(MemPolicy Policy, string Text) : TaskStep;

/// <summary>Read a file (shared between tasks by name) sequentially through the page cache.</summary>
public sealed record ReadFileStep(string File, long Bytes) : TaskStep;

/// <summary>mmap anonymous memory and write each page once; with <see cref="Thp"/>, as after madvise(MADV_HUGEPAGE).</summary>
public sealed record TouchStep(long Bytes, bool Thp) : TaskStep;

/// <summary>sched_setaffinity to one CPU: the task runs there from now on.</summary>
public sealed record MoveToStep(int Cpu) : TaskStep;

/// <summary>Read the task's memory again, sequentially and round and round, for a simulated time.</summary>
public sealed record AccessStep(long DurationNs, long ThinkTimeNs) : TaskStep;

/// <summary>
/// migrate_pages(2) on the task itself, from every node to <see cref="Nodes"/>: each node's pages go to the node
/// node_remap gives it (with one target node, every page goes there). <see cref="Text"/> is the nodelist as written.
/// </summary>
public sealed record MigrateToStep(IReadOnlyList<int> Nodes, string Text) : TaskStep;

/// <summary>
/// mbind(2) over every mapping the task has so far: they take <see cref="Policy"/>; with <see cref="Move"/>
/// (MPOL_MF_MOVE) the pages not on the policy's nodes move as the policy allocates. <see cref="Text"/> is the policy as written.
/// </summary>
public sealed record MbindStep(MemPolicy Policy, bool Move, string Text) : TaskStep;

/// <summary>
/// move_pages(2) of every page of the task, the i-th to the (i mod n)-th node of <see cref="Nodes"/>.
/// <see cref="Text"/> is the nodelist as written.
/// </summary>
public sealed record MovePagesStep(IReadOnlyList<int> Nodes, string Text) : TaskStep;

namespace NumaSim.Formats.Trace;

/// <summary>
/// One kmem tracepoint line of an ftrace text trace: the common `TASK-PID [CPU] FLAGS TIMESTAMP:`
/// prefix and the event name. The derived records carry the event's own fields.
/// </summary>
public abstract record KmemEvent
{
    /// <summary>What every line has: where and when the event was traced.</summary>
    public required KmemEventHeader Header { get; init; }

    /// <summary>The event name as the trace prints it, e.g. "kmalloc" or "kmalloc_node".</summary>
    public string Name => Header.Name;

    /// <summary>The task's comm; may hold spaces and dashes ("&lt;...&gt;" when ftrace lost it).</summary>
    public string Task => Header.Task;

    public int Pid => Header.Pid;

    public int Cpu => Header.Cpu;

    /// <summary>The trace clock at the event, in nanoseconds (the trace prints seconds, usually to the microsecond).</summary>
    public long TimestampNs => Header.TimestampNs;

    /// <summary>1-based line number in the trace.</summary>
    public long LineNumber => Header.LineNumber;

    public decimal TimestampSeconds => TimestampNs / 1_000_000_000m;
}

/// <summary>The common `TASK-PID [CPU] FLAGS TIMESTAMP: EVENT:` part of a kmem line.</summary>
public readonly record struct KmemEventHeader(string Name, string Task, int Pid, int Cpu, long TimestampNs, long LineNumber);

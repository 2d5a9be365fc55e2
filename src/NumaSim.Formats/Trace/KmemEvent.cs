namespace NumaSim.Formats.Trace;

/// <summary>
/// One kmem tracepoint line of an ftrace text trace: the common `TASK-PID [CPU] FLAGS TIMESTAMP:`
/// prefix and the event name. The derived records carry the event's own fields.
/// </summary>
public abstract record KmemEvent
{
    /// <summary>The event name as the trace prints it, e.g. "kmalloc" or "kmalloc_node".</summary>
    public required string Name { get; init; }

    /// <summary>The task's comm; may hold spaces and dashes ("&lt;...&gt;" when ftrace lost it).</summary>
    public required string Task { get; init; }

    public required int Pid { get; init; }

    public required int Cpu { get; init; }

    /// <summary>The trace clock at the event, in nanoseconds (the trace prints seconds, usually to the microsecond).</summary>
    public required long TimestampNs { get; init; }

    /// <summary>1-based line number in the trace.</summary>
    public required long LineNumber { get; init; }

    public decimal TimestampSeconds => TimestampNs / 1_000_000_000m;
}

namespace NumaSim.Formats.Trace;

/// <summary>A kmem line the parser skipped: where, which event, and what is wrong with it.</summary>
public readonly record struct MalformedLine(long LineNumber, string Event, string Reason)
{
    public override string ToString() => $"{LineNumber}: {Event}: {Reason}";
}

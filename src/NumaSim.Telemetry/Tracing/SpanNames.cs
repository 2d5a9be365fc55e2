namespace NumaSim.Telemetry.Tracing;

/// <summary>Span names: the operation that crossed nodes, and where the other node served it.</summary>
public static class SpanNames
{
    public const string RemoteAccess = "numa.remote_access";
    public const string RemoteAlloc = "numa.remote_alloc";
    public const string ZoneServe = "numa.zone_serve";
    public const string Shootdown = "tlb.shootdown";
    public const string ShootdownIpi = "tlb.shootdown_ipi";
    public const string Fault = "mm.fault";
    public const string Migrate = "mm.migrate";
    public const string Promote = "mm.promote";
    public const string Demote = "mm.demote";
}

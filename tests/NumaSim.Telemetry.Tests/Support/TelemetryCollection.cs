namespace NumaSim.Telemetry.Tests.Support;

/// <summary>The NumaSim source and meter are process-wide: tests that listen to them run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry";
}

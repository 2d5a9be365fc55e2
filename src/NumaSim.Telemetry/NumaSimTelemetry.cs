using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace NumaSim.Telemetry;

/// <summary>The one ActivitySource and the one Meter of the simulator (docs/observability.md), both named NumaSim.</summary>
public static class NumaSimTelemetry
{
    public const string Name = "NumaSim";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);
}

namespace NumaSim.Architecture.Tests;

/// <summary>
/// The layering of docs/architecture.md section 1, as data: which of our projects each project may reference
/// (directly or through another). An arrow never runs from a lower layer up: the model knows nothing of actors,
/// actors know nothing of output formats, formats read plain snapshots of model state. A new project or a new
/// reference fails the tests until it is added here, so widening a layer is a reviewed change.
/// </summary>
internal static class Layers
{
    public static readonly IReadOnlyDictionary<string, string[]> MayReference = new Dictionary<string, string[]>
    {
        ["NumaSim.Model"] = [],
        // What a run's result is (summary.json's shapes): built by the actors and replay, read by the rest.
        ["NumaSim.Results"] = ["NumaSim.Model"],
        ["NumaSim.Formats"] = ["NumaSim.Model", "NumaSim.Results"],
        ["NumaSim.Report"] = ["NumaSim.Model", "NumaSim.Results", "NumaSim.Formats"],
        ["NumaSim.Telemetry"] = ["NumaSim.Model", "NumaSim.Results"],
        ["NumaSim.Workloads"] = ["NumaSim.Model"],
        // Replay reads ftrace kmem traces, so it alone of the workload side may read Formats.
        ["NumaSim.Replay"] = ["NumaSim.Model", "NumaSim.Results", "NumaSim.Workloads", "NumaSim.Formats"],
        ["NumaSim.Actors"] = ["NumaSim.Model", "NumaSim.Results", "NumaSim.Workloads", "NumaSim.Telemetry"],
        ["NumaSim.Cluster"] = ["NumaSim.Model", "NumaSim.Results", "NumaSim.Workloads", "NumaSim.Telemetry", "NumaSim.Actors"],
        ["NumaSim.Oracle"] = ["NumaSim.Model", "NumaSim.Results", "NumaSim.Workloads", "NumaSim.Formats"],
        // The TestKit renders /proc files for its assertions (Formats), never charts (Report).
        ["NumaSim.TestKit"] = ["NumaSim.Model", "NumaSim.Results", "NumaSim.Workloads", "NumaSim.Telemetry", "NumaSim.Actors", "NumaSim.Formats"],
        // The command line sits on top and may use every layer; nothing references it.
        ["NumaSim.Cli"] =
        [
            "NumaSim.Model", "NumaSim.Results", "NumaSim.Formats", "NumaSim.Report", "NumaSim.Telemetry", "NumaSim.Workloads",
            "NumaSim.Replay", "NumaSim.Actors", "NumaSim.Cluster", "NumaSim.Oracle",
        ],
    };

    /// <summary>Our projects that <paramref name="project"/> must not reach, its own name and allowed ones aside.</summary>
    public static string[] Forbidden(string project) =>
        MayReference.Keys.Where(p => p != project && !MayReference[project].Contains(p)).ToArray();

    /// <summary>Projects with no Akka in them: the model is pure, and formats render plain snapshots.</summary>
    public static readonly string[] WithoutAkka = ["NumaSim.Model", "NumaSim.Results", "NumaSim.Formats", "NumaSim.Report"];
}

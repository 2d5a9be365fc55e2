using System.Text.Json;

namespace NumaSim.Architecture.Tests;

/// <summary>
/// The TestKit package goes into users' test projects: its dependency closure, as NuGet resolved it for the build,
/// must carry no charting library and no native assets (ScottPlot draws report.html's charts with SkiaSharp and
/// HarfBuzzSharp, whose native binaries are the size of the rest of the closure together).
/// </summary>
public sealed class TestKitClosureTests
{
    private static readonly string[] Unwanted = ["ScottPlot", "SkiaSharp", "HarfBuzzSharp"];

    [Fact]
    public void The_TestKit_closure_has_no_charting_or_native_assets()
    {
        var closure = Closure();

        // The file read is the right one: the TestKit's own dependencies are in it.
        Assert.Contains(closure, library => library.StartsWith("Akka.TestKit.Xunit2/", StringComparison.Ordinal));
        Assert.Contains(closure, library => library.StartsWith("NumaSim.Formats/", StringComparison.Ordinal));

        var unwanted = closure.Where(library => Unwanted.Any(u => library.StartsWith(u, StringComparison.OrdinalIgnoreCase))).ToArray();
        Assert.True(unwanted.Length == 0, $"the TestKit drags in {string.Join(", ", unwanted)}");
    }

    /// <summary>The libraries (name/version) of the TestKit's restore graph, packages and projects alike.</summary>
    private static string[] Closure()
    {
        var assets = Path.Combine(RepositoryPaths.Root, "src", "NumaSim.TestKit", "obj", "project.assets.json");
        using var document = JsonDocument.Parse(File.ReadAllText(assets));
        return document.RootElement.GetProperty("targets").EnumerateObject()
            .SelectMany(target => target.Value.EnumerateObject().Select(library => library.Name))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }
}

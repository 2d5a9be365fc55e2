using System.Text.Json;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>
/// Every shipped scenario's outputs, on one process and on two, against the files kept in tests/data/golden.
/// A refactoring must leave them byte-identical; a change of behaviour shows here as a readable diff, and its
/// commit regenerates them on purpose: `NUMASIM_UPDATE_GOLDEN=1 dotnet test tests/NumaSim.EndToEnd.Tests
/// --filter GoldenOutputTests` (the one-process runs write them; run again to check the two-process runs).
/// The charts (report/*.png) are left out: their pixels depend on the machine's fonts, not on the model.
/// </summary>
public sealed class GoldenOutputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Scenario, processes. Two processes only where the scenario's machine has two nodes or more.</summary>
    public static TheoryData<string, int> Runs => new()
    {
        { "default", 1 }, { "default", 2 },
        { "first-touch", 1 }, { "first-touch", 2 },
        { "interleave", 1 }, { "interleave", 2 },
        { "throughput", 1 }, { "throughput", 2 },
        { "kmalloc-storm", 1 }, { "kmalloc-storm", 2 },
        { "slab-debug", 1 }, { "slab-debug", 2 },
        { "atomic-pressure", 1 },
        { "fragmentation", 1 },
        { "terabyte", 1 }, { "terabyte", 2 },
        { "page-cache", 1 }, { "page-cache", 2 },
        { "kswapd", 1 }, { "kswapd", 2 },
        { "oom", 1 }, { "oom", 2 },
        { "scale", 1 }, { "scale", 2 },
        // Its task moves between the nodes, so both must be on one process (Placement): one process only.
        { "numa-balancing", 1 },
        // Its reader takes a round of the clock per access (1.8 M rounds): on 2 processes each is a remote round trip,
        // minutes of CI. ReclaimDeterminismTests runs demotion and swap-thp on 2 processes.
        { "cxl-tiering", 1 },
    };

    private static string GoldenRoot => Path.Combine(CliRunner.RepoRoot, "tests", "data", "golden");

    private static bool Update => Environment.GetEnvironmentVariable("NUMASIM_UPDATE_GOLDEN") == "1";

    [Fact]
    public void Every_shipped_scenario_has_golden_outputs()
    {
        var shipped = Directory.EnumerateFiles(Path.Combine(CliRunner.RepoRoot, "config", "scenarios"), "*.conf")
            .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        var covered = Runs.Select(r => (string)r[0]).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(shipped, covered);
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void A_shipped_scenario_writes_its_golden_outputs(string scenario, int processes)
    {
        using var dir = new TempDirectory();
        var run = CliRunner.RunWithTimeout(dir.Path, Timeout, "run", scenario, "--processes",
            processes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());

        var actual = Compared(dir["out"]);
        var golden = Path.Combine(GoldenRoot, scenario);
        if (Update && processes == 1)
        {
            if (Directory.Exists(golden))
            {
                Directory.Delete(golden, recursive: true);
            }
            foreach (var (file, text) in actual)
            {
                var path = Path.Combine(golden, file);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text);
            }
            return;
        }

        Assert.True(Directory.Exists(golden), $"no golden outputs for {scenario}: run with NUMASIM_UPDATE_GOLDEN=1");
        var expected = OutputTree.Files(golden);
        Assert.Equal(expected, actual.Keys.Order(StringComparer.Ordinal).ToList());
        foreach (var file in expected)
        {
            var want = File.ReadAllText(Path.Combine(golden, file));
            var got = actual[file];
            Assert.True(want == got, $"{scenario} on {processes} process(es): {file} differs from tests/data/golden/{scenario}/{file}\n{FirstDifference(want, got)}");
        }
    }

    /// <summary>The run's files as text, summary.json without its wall-clock fields and members, charts left out.</summary>
    private static Dictionary<string, string> Compared(string root)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in OutputTree.Files(root))
        {
            if (file.EndsWith(".png", StringComparison.Ordinal))
            {
                continue;
            }
            files[file] = file == "summary.json"
                ? OutputTree.ReproducibleSummary(root).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"
                : File.ReadAllText(Path.Combine(root, file));
        }
        return files;
    }

    private static string FirstDifference(string want, string got)
    {
        var a = want.Split('\n');
        var b = got.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : "<end of file>";
            var y = i < b.Length ? b[i] : "<end of file>";
            if (x != y)
            {
                return $"line {i + 1}:\n  golden: {x}\n  run:    {y}";
            }
        }
        return "(same lines, different line ends)";
    }
}

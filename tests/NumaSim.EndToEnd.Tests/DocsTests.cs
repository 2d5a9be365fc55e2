using System.Text.RegularExpressions;
using Akka.Configuration;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>
/// The docs cannot rot: every shell block (a fence opened with ```sh) in README.md and docs/ runs, line by line as
/// written, with the built CLI as `numasim`, from a fresh folder holding the repository's config/ and tests/data/.
/// Not run: a block whose fence says `not-run: REASON`, a line ending in `# not-run: REASON` (root, another machine,
/// the repository's own build), and a line defining numasim() (the test's numasim is the built CLI). The
/// configuration reference lists exactly the keys of config/reference.conf; the guide's example test is the one
/// that runs.
/// </summary>
public sealed partial class DocsTests
{
    private static IEnumerable<string> Documents =>
        new[] { Path.Combine(CliRunner.RepoRoot, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(CliRunner.RepoRoot, "docs"), "*.md").Order(StringComparer.Ordinal));

    public static TheoryData<string, int> RunnableBlocks
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var doc in Documents)
            {
                for (var i = 0; i < Blocks(doc).Count(b => b.Runnable); i++)
                {
                    data.Add(Path.GetRelativePath(CliRunner.RepoRoot, doc), i);
                }
            }
            return data;
        }
    }

    [Fact]
    public void The_readme_and_the_cli_guide_have_runnable_blocks()
    {
        var runnable = RunnableBlocks.Select(row => (string)row[0]).Distinct().ToList();
        Assert.Contains("README.md", runnable);
        Assert.Contains(Path.Combine("docs", "cli.md"), runnable);
    }

    [Fact]
    public void The_readme_tour_runs_every_line_but_those_that_need_root_or_a_kernel_image()
    {
        var readme = Path.Combine(CliRunner.RepoRoot, "README.md");
        var tourLine = File.ReadAllLines(readme).ToList().IndexOf("## A short tour") + 1;
        Assert.True(tourLine > 0, "README.md has no \"## A short tour\"");
        var tour = Blocks(readme).First(b => b.Line > tourLine);
        Assert.True(tour.Runnable, "the tour block is marked not-run");
        var skipped = tour.Text.Split('\n').Where(l => NotRun(l) is not null).ToList();
        // Root for ftrace; a kernel image and QEMU for validate, which FidelityTests run with the kernel .ci/run fetches.
        Assert.All(skipped, l => Assert.True(l.StartsWith("sudo ", StringComparison.Ordinal) || l.StartsWith("numasim validate ", StringComparison.Ordinal), l));
        Assert.True(tour.Text.Split('\n').Count(l => l.StartsWith("numasim ", StringComparison.Ordinal)) >= 20, tour.Text);
    }

    [Fact]
    public void What_is_not_run_says_why()
    {
        foreach (var doc in Documents)
        {
            foreach (var block in Blocks(doc).Where(b => b.Language == "sh"))
            {
                var where = $"{Path.GetRelativePath(CliRunner.RepoRoot, doc)}:{block.Line}";
                Assert.True(block.Runnable || block.Reason.Length > 0, $"{where}: a block marked not-run gives no reason");
                foreach (var line in block.Text.Split('\n'))
                {
                    Assert.True(NotRun(line) is null or { Length: > 0 }, $"{where}: '{line}' is marked not-run without a reason");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(RunnableBlocks))]
    public void A_runnable_block_runs(string document, int index)
    {
        var block = Blocks(Path.Combine(CliRunner.RepoRoot, document)).Where(b => b.Runnable).ElementAt(index);
        using var dir = new TempDirectory();
        Directory.CreateSymbolicLink(dir["config"], Path.Combine(CliRunner.RepoRoot, "config"));
        Directory.CreateDirectory(dir["tests"]);
        Directory.CreateSymbolicLink(dir["tests/data"], Path.Combine(CliRunner.RepoRoot, "tests", "data"));
        var lines = block.Text.Split('\n')
            .Where(l => NotRun(l) is null && !l.StartsWith("numasim()", StringComparison.Ordinal));
        var script = $$"""
            numasim() { dotnet '{{CliRunner.CliDll}}' "$@"; }
            {{string.Join('\n', lines)}}
            """;
        var run = CliRunner.RunProgram("bash", ["-euo", "pipefail", "-c", script], dir.Path, TimeSpan.FromMinutes(3), $"{document} block {index} (line {block.Line})");
        Assert.True(run.ExitCode == 0, run.ToString() + "\n--- block ---\n" + block.Text);
    }

    [Fact]
    public void The_configuration_reference_lists_exactly_the_keys_of_reference_conf()
    {
        var reference = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "config", "reference.conf")));
        var keys = Leaves("", reference.Root).ToHashSet(StringComparer.Ordinal);
        var documented = DocumentedKey().Matches(File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "docs", "configuration.md")))
            .Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(keys.Except(documented).Order(StringComparer.Ordinal));
        Assert.Empty(documented.Except(keys).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_testkit_guides_example_is_the_example_test_word_for_word()
    {
        var guide = Blocks(Path.Combine(CliRunner.RepoRoot, "docs", "testkit.md")).Single(b => b.Language == "csharp");
        var test = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "tests", "NumaSim.Scenarios.Tests", "GuideExampleTests.cs"));
        Assert.Contains(guide.Text.Trim(), test, StringComparison.Ordinal);
    }

    /// <summary>The paths of a HOCON tree's values that are not objects (lists count as values).</summary>
    private static IEnumerable<string> Leaves(string prefix, Akka.Configuration.Hocon.HoconValue value) =>
        value.IsObject()
            ? value.GetObject().Items.SelectMany(kv => Leaves(prefix.Length == 0 ? kv.Key : prefix + "." + kv.Key, kv.Value))
            : [prefix];

    /// <summary>A fenced block; <see cref="Reason"/> is what follows `not-run:` on its fence ("" when it runs).</summary>
    private sealed record Block(string Language, bool Runnable, string Text, int Line, string Reason);

    /// <summary>The reason of a line ending in `# not-run: REASON`, or null for a line that runs.</summary>
    private static string? NotRun(string line)
    {
        var at = line.IndexOf("# not-run:", StringComparison.Ordinal);
        return at < 0 ? null : line[(at + "# not-run:".Length)..].Trim();
    }

    private static List<Block> Blocks(string path)
    {
        var blocks = new List<Block>();
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal) || lines[i].Length == 3)
            {
                continue;
            }
            var info = lines[i][3..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var start = i + 1;
            while (++i < lines.Length && lines[i] != "```")
            {
            }
            var fence = lines[start - 1];
            var notRun = fence.IndexOf("not-run:", StringComparison.Ordinal);
            blocks.Add(new Block(
                info[0],
                info[0] == "sh" && notRun < 0,
                string.Join('\n', lines[start..Math.Min(i, lines.Length)]),
                start,
                notRun < 0 ? "" : fence[(notRun + "not-run:".Length)..].Trim()));
        }
        return blocks;
    }

    /// <summary>A key in the table's first column: `numasim.x.y`.</summary>
    [GeneratedRegex(@"^\| `(numasim(?:\.[a-z0-9-]+)+)` \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedKey();
}

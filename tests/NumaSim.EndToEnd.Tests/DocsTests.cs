using System.Text.RegularExpressions;
using Akka.Configuration;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>
/// The docs cannot rot: every shell block marked `run` (a fence opened with ```sh run) in README.md and docs/ runs
/// with the built CLI as `numasim`, from a fresh folder holding the repository's config/; the configuration
/// reference lists exactly the keys of config/reference.conf; the guide's example test is the one that runs.
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

    [Theory]
    [MemberData(nameof(RunnableBlocks))]
    public void A_runnable_block_runs(string document, int index)
    {
        var block = Blocks(Path.Combine(CliRunner.RepoRoot, document)).Where(b => b.Runnable).ElementAt(index);
        using var dir = new TempDirectory();
        Directory.CreateSymbolicLink(dir["config"], Path.Combine(CliRunner.RepoRoot, "config"));
        var script = $$"""
            numasim() { dotnet '{{CliRunner.CliDll}}' "$@"; }
            {{block.Text}}
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

    private sealed record Block(string Language, bool Runnable, string Text, int Line);

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
            blocks.Add(new Block(info[0], info.Skip(1).Contains("run"), string.Join('\n', lines[start..Math.Min(i, lines.Length)]), start));
        }
        return blocks;
    }

    /// <summary>A key in the table's first column: `numasim.x.y`.</summary>
    [GeneratedRegex(@"^\| `(numasim(?:\.[a-z0-9-]+)+)` \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedKey();
}

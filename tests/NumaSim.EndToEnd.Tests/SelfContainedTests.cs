using System.Text.RegularExpressions;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>
/// The repository stands alone: no file of it names a path outside it, and a clone with nothing beside it builds and
/// passes the tests that read the repository's data.
/// </summary>
public sealed partial class SelfContainedTests
{
    /// <summary>This file: it spells the patterns it looks for.</summary>
    private const string Self = "tests/NumaSim.EndToEnd.Tests/SelfContainedTests.cs";

    [Fact]
    public void No_file_of_the_repository_names_a_path_outside_it()
    {
        var found = new List<string>();
        foreach (var file in TrackedFiles().Where(f => f != Self && !f.StartsWith("tests/data/", StringComparison.Ordinal)))
        {
            var path = Path.Combine(CliRunner.RepoRoot, file);
            if (!File.Exists(path) || IsBinary(path))
            {
                continue;
            }
            var lines = File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
            {
                if (OutsidePath().Match(lines[i]) is { Success: true } m)
                {
                    found.Add($"{file}:{i + 1}: {m.Value}");
                }
            }
        }
        Assert.True(found.Count == 0, "paths outside the repository:\n" + string.Join('\n', found));
    }

    [Theory]
    [InlineData("var r = \"" + Machine + Beside + "/reference\";")]
    [InlineData("numasim topology import ../" + Beside + "/reference/procfs-6.18 > my.conf")]
    [InlineData("Path.Combine(RepoRoot, \"..\", \"" + Beside + "\")")]
    [InlineData("cat /home/alice/trace.txt")]
    [InlineData("File.ReadAllText(\"/Users/bob/x\")")]
    public void The_outside_path_pattern_catches_what_it_is_for(string line) =>
        Assert.Matches(OutsidePath(), line);

    [Theory]
    [InlineData("numasim slabtop --slabinfo /proc/slabinfo")]
    [InlineData("numasim topology import tests/data/reference/procfs-6.18")]
    [InlineData("<ProjectReference Include=\"..\\..\\src\\NumaSim.Cli\\NumaSim.Cli.csproj\" />")]
    public void Paths_inside_the_repository_or_of_the_simulated_kernel_pass(string line) =>
        Assert.DoesNotMatch(OutsidePath(), line);

    /// <summary>
    /// `git clone` of the committed HEAD into an empty temporary folder, then build and run the Formats and Model
    /// tests there. Those two are the ones that read the repository's files (the real kernel's reference files,
    /// reference.conf) and they build in about a minute; the other projects read the same files through the same
    /// paths, and the whole suite would take several minutes more, so this subset proves the point at a tenth of the
    /// cost. A clone's parent holds nothing else, so a relative path that climbs out of the repository (to the folder
    /// beside it) finds nothing; an absolute path of this machine would still be found, which the test above forbids.
    /// </summary>
    [Fact]
    [Trait("Category", "CleanClone")]
    public void A_clone_with_nothing_beside_it_builds_and_passes_the_formats_and_model_tests()
    {
        var git = CliRunner.Which("git");
        Assert.True(git is not null, "git is not on PATH");
        using var dir = new TempDirectory();
        var clone = CliRunner.RunProgram(git, ["clone", "--quiet", "--no-hardlinks", CliRunner.RepoRoot, "repo"], dir.Path, TimeSpan.FromMinutes(1));
        Assert.True(clone.ExitCode == 0, clone.ToString());
        Assert.Equal(["repo"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));

        // No build server outlives the test; the clone's own obj/ and bin/ are fresh.
        var environment = new Dictionary<string, string> { ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0" };
        foreach (var project in new[] { "tests/NumaSim.Formats.Tests", "tests/NumaSim.Model.Tests" })
        {
            var test = CliRunner.RunProgram("dotnet", ["test", project, "-c", "Release", "-p:UseSharedCompilation=false", "-nodeReuse:false"],
                dir["repo"], TimeSpan.FromMinutes(4), environment: environment);
            Assert.True(test.ExitCode == 0, test.ToString());
            Assert.Matches(@"Passed!\s+- Failed:\s+0, Passed:\s+[1-9]", test.Stdout);
        }
    }

    private static IEnumerable<string> TrackedFiles()
    {
        var git = CliRunner.Which("git");
        Assert.True(git is not null, "git is not on PATH");
        var ls = CliRunner.RunProgram(git, ["ls-files", "-z"], CliRunner.RepoRoot, TimeSpan.FromMinutes(1));
        Assert.True(ls.ExitCode == 0, ls.ToString());
        var files = ls.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(files);
        return files;
    }

    private static bool IsBinary(string path)
    {
        var head = new byte[4096];
        using var stream = File.OpenRead(path);
        var read = stream.Read(head);
        return Array.IndexOf(head, (byte)0, 0, read) >= 0;
    }

    /// <summary>
    /// A path of the machine the file was written on, or one that climbs out of the repository: the workplace's own
    /// root, a home folder, the folder beside the repository, or a path built from the repository root and "..".
    /// </summary>
    [GeneratedRegex(@"(?<![\w.])" + Machine + @"|(?<![\w.])/home/\w|(?<![\w.])/Users/\w|(?<![\w.])/root/|\.\./" + Beside + @"\b|Root, ""\.\.""")]
    private static partial Regex OutsidePath();

    // The names this test forbids, put together so that the file listing them does not itself name them.
    private const string Machine = "/wo" + "rk/";
    private const string Beside = "sha" + "red";
}

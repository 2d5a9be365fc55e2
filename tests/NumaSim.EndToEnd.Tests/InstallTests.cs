using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>
/// numasim as a user installs it: the packed .NET tool from a local folder source, and the image deploy/Dockerfile
/// builds (its publish command run here, since there is no container engine). Both build from a copy of the sources,
/// and the installed or published numasim runs from a folder with no config/ anywhere above it.
/// </summary>
public sealed class InstallTests(SourceTreeCopy tree) : IClassFixture<SourceTreeCopy>
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    /// <summary>A run of the tool must not find the repository's config/ through a variable the test host has.</summary>
    private static readonly Dictionary<string, string> NoConfigDir = new() { ["NUMASIM_CONFIG_DIR"] = "" };

    [Fact]
    public void The_packed_tool_installs_and_runs_shipped_scenarios_and_topologies_from_any_directory()
    {
        // A version of its own, so that no package an earlier run left in the NuGet cache is used instead.
        var version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var feed = tree.NewFolder("feed");
        try
        {
            var pack = Dotnet(tree.Root, "pack", Path.Combine("src", "NumaSim.Cli", "NumaSim.Cli.csproj"), "-c", "Release", "-o", feed, $"-p:PackageVersion={version}");
            Assert.True(pack.ExitCode == 0, pack.ToString());
            // The pointer package and the packages it points at: ReadyToRun code for linux-x64, portable IL for the rest.
            Assert.Equal(
                [$"NumaSim.Cli.{version}.nupkg", $"NumaSim.Cli.any.{version}.nupkg", $"NumaSim.Cli.linux-x64.{version}.nupkg"],
                Directory.GetFiles(feed).Select(Path.GetFileName).Order(StringComparer.Ordinal));

            var tools = tree.NewFolder("tools");
            var user = tree.NewFolder("user");
            var install = Dotnet(user, "tool", "install", "--tool-path", tools, "--add-source", feed, "NumaSim.Cli", "--version", version);
            Assert.True(install.ExitCode == 0, install.ToString());
            var numasim = Path.Combine(tools, "numasim");
            var installed = Path.GetDirectoryName(new FileInfo(numasim).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? numasim)!;
            Assert.EndsWith(Path.Combine("tools", "net10.0", "linux-x64"), installed, StringComparison.Ordinal);
            AssertReadyToRun(Path.Combine(installed, "numasim.dll"));
            AssertReadyToRun(Path.Combine(installed, "NumaSim.Model.dll"));

            AssertSameRun(numasim, user, "default", [], []);
            var twoSocket = Path.Combine(CliRunner.RepoRoot, "config", "topologies", "two-socket.conf");
            AssertSameRun(numasim, user, "two-socket", ["--topology", "two-socket"], ["--topology", twoSocket]);
            var help = CliRunner.RunProgram(numasim, ["run", "--help"], user, CliRunner.DefaultTimeout, environment: NoConfigDir);
            Assert.True(help.ExitCode == 0, help.ToString());
        }
        finally
        {
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (var id in new[] { "numasim.cli", "numasim.cli.linux-x64", "numasim.cli.any" })
            {
                var cached = Path.Combine(cache, id, version);
                if (Directory.Exists(cached))
                {
                    Directory.Delete(cached, recursive: true);
                }
            }
        }
    }

    [Fact]
    public void The_dockerfile_copies_files_that_exist_and_its_publish_command_gives_a_numasim_that_runs()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(CliRunner.RepoRoot, "deploy", "Dockerfile"));
        // Its build context is the repository's root.
        foreach (var line in dockerfile.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in parts[1..^1])
            {
                Assert.True(Path.Exists(Path.Combine(CliRunner.RepoRoot, source)), $"deploy/Dockerfile: {line}: {source} is not in the repository");
            }
        }

        var run = dockerfile.Single(l => l.StartsWith("RUN dotnet publish ", StringComparison.Ordinal));
        var args = run["RUN dotnet ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var outIndex = Array.IndexOf(args, "-o") + 1;
        Assert.True(outIndex > 0, $"deploy/Dockerfile: {run}: no -o");
        var imageDir = args[outIndex];
        var published = tree.NewFolder("published");
        args[outIndex] = published;
        var publish = Dotnet(tree.Root, args);
        Assert.True(publish.ExitCode == 0, publish.ToString());

        // The runtime stage copies the publish output and links numasim where deploy/systemd runs it.
        Assert.Contains($"COPY --from=build {imageDir} {imageDir}", dockerfile);
        var link = dockerfile.Single(l => l.StartsWith("RUN ln -s ", StringComparison.Ordinal)).Split(' ');
        Assert.Equal($"{imageDir}/numasim", link[^2]);
        Assert.Equal(SystemdExecutable(), link[^1]);
        Assert.Contains("ENTRYPOINT [\"numasim\"]", dockerfile);
        Assert.Contains(dockerfile, l => l.Contains("-t numasim:latest", StringComparison.Ordinal));
        Assert.Contains("image: numasim:latest", File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "deploy", "kubernetes", "statefulset.yaml")), StringComparison.Ordinal);

        AssertReadyToRun(Path.Combine(published, "numasim.dll"));
        var user = tree.NewFolder("image-user");
        var result = CliRunner.RunProgram(Path.Combine(published, "numasim"), ["run", "--quiet", "--topology", "four-node", "--out", "out"], user, CliRunner.DefaultTimeout, environment: NoConfigDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(4, Directory.GetDirectories(Path.Combine(user, "out", "sys", "devices", "system", "node"), "node*").Length);
    }

    [Fact]
    public void The_readme_installs_numasim_where_the_systemd_unit_runs_it()
    {
        var readme = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "README.md"));
        var dir = Path.GetDirectoryName(SystemdExecutable())!;
        Assert.Contains($"dotnet tool install --tool-path {dir} ", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet pack src/NumaSim.Cli -c Release", readme, StringComparison.Ordinal);
    }

    /// <summary>The program deploy/systemd's member unit starts.</summary>
    private static string SystemdExecutable()
    {
        var unit = File.ReadAllLines(Path.Combine(CliRunner.RepoRoot, "deploy", "systemd", "numasim-member@.service"));
        var exec = unit.Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        return exec["ExecStart=".Length..].Split(' ')[0];
    }

    /// <summary>The installed numasim and the repository's build give the same outputs for the same arguments.</summary>
    private static void AssertSameRun(string numasim, string workingDirectory, string name, string[] installedArgs, string[] builtArgs)
    {
        var installed = CliRunner.RunProgram(numasim, ["run", "--quiet", "--out", name, .. installedArgs], workingDirectory, CliRunner.DefaultTimeout, environment: NoConfigDir);
        Assert.True(installed.ExitCode == 0, installed.ToString());
        var reference = CliRunner.Run(workingDirectory, ["run", "--quiet", "--out", name + "-built", .. builtArgs]);
        Assert.True(reference.ExitCode == 0, reference.ToString());
        var a = Path.Combine(workingDirectory, name);
        var b = Path.Combine(workingDirectory, name + "-built");
        Assert.True(JsonNode.DeepEquals(OutputTree.ReproducibleSummary(a), OutputTree.ReproducibleSummary(b)), $"{name}: the installed tool's summary.json differs from the built CLI's");
        foreach (var file in new[] { "proc/buddyinfo", "proc/zoneinfo", "report.html" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(b, file)), File.ReadAllText(Path.Combine(a, file)));
        }
    }

    /// <summary>Precompiled: the assembly carries a ReadyToRun header beside its IL.</summary>
    private static void AssertReadyToRun(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var pe = new PEReader(stream);
        Assert.True(pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0, $"{assembly} has no ReadyToRun code");
    }

    private static CliResult Dotnet(string workingDirectory, params string[] args) =>
        CliRunner.RunProgram("dotnet", args, workingDirectory, BuildTimeout);
}

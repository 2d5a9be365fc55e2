using System.IO.Compression;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>
/// NumaSim.TestKit as a user outside this repository gets it: `dotnet pack` of the kit and the projects it depends
/// on into a local folder, then a fresh xunit project elsewhere that references the package from that folder and
/// runs a scenario test on a shipped topology.
/// </summary>
public sealed class PackageTests
{
    private static readonly string[] Packed = ["NumaSim.Model", "NumaSim.Results", "NumaSim.Formats", "NumaSim.Workloads", "NumaSim.Telemetry", "NumaSim.Actors", "NumaSim.TestKit"];

    [Fact]
    public void A_project_outside_the_tree_runs_a_scenario_test_from_the_packed_testkit()
    {
        using var dir = new TempDirectory();
        var feed = Directory.CreateDirectory(dir["feed"]).FullName;
        // A version of its own, so that no package an earlier run left in the NuGet cache is used instead.
        var version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var configuration = CliRunner.Configuration ?? "Release";
        try
        {
            foreach (var project in Packed)
            {
                var pack = Dotnet(CliRunner.RepoRoot, "pack", Path.Combine("src", project, project + ".csproj"), "-c", configuration, "--no-build",
                    "-o", feed, $"-p:PackageVersion={version}");
                Assert.True(pack.ExitCode == 0, pack.ToString());
            }
            Assert.Contains(Directory.GetFiles(feed), f => Path.GetFileName(f) == $"NumaSim.TestKit.{version}.nupkg");
            foreach (var project in Packed)
            {
                // Each package ships its XML docs beside its assembly, so the user's IDE shows them.
                using var package = ZipFile.OpenRead(Path.Combine(feed, $"{project}.{version}.nupkg"));
                Assert.Contains(package.Entries, e => e.FullName == $"lib/net10.0/{project}.xml");
            }

            var user = Directory.CreateDirectory(dir["user"]).FullName;
            File.WriteAllText(Path.Combine(user, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="numasim-local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(user, "UserScenarios.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <IsPackable>false</IsPackable>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="NumaSim.TestKit" Version="{version}" />
                    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
                    <PackageReference Include="xunit" Version="2.9.3" />
                    <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(user, "InterleaveTest.cs"), """
                using NumaSim.TestKit;
                using Xunit;

                public sealed class InterleaveTest : NumaSimTestKit
                {
                    [Fact]
                    public async Task Interleave_on_two_sockets_puts_half_the_pages_on_the_far_node()
                    {
                        var run = await RunAsync(NumaScenario.On("two-socket").WithTasks("0", "256K", accesses: 128, policy: "interleave:0-1", writeRatio: 1));
                        Assert.Equal(32, run.Numastat(1).InterleaveHit);
                        Assert.True(run.Latency("tlb_hit_remote").P99 > run.Latency("tlb_hit_local").P99);
                    }
                }
                """);
            var test = Dotnet(user, "test", "-c", "Release");
            Assert.True(test.ExitCode == 0, test.ToString());
            Assert.Contains("Passed!", test.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            // The run's packages in the NuGet cache are of no use to anyone after it.
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (var project in Packed)
            {
                var cached = Path.Combine(cache, project.ToLowerInvariant(), version);
                if (Directory.Exists(cached))
                {
                    Directory.Delete(cached, recursive: true);
                }
            }
        }
    }

    private static CliResult Dotnet(string workingDirectory, params string[] args) =>
        CliRunner.RunProgram("dotnet", args, workingDirectory, TimeSpan.FromMinutes(5));
}

using System.Text.Json;
using NumaSim.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace NumaSim.EndToEnd.Tests;

/// <summary>
/// config/topologies/cxl-tiered.conf on the real kernel under QEMU, with its HMAT and its memory-only node, by
/// `numasim validate`: the kernel's memory tiers and access0 files are the simulator's, byte for byte. One boot of
/// an 8 GiB, 4-CPU guest with a small task (the validation needs one), about 30 s under TCG.
/// </summary>
public sealed class MemoryTierOracleTests(ITestOutputHelper output)
{
    [FactWhenKernel]
    public void The_cxl_node_lands_in_the_kernels_memory_tier_and_its_hmat_files_match()
    {
        using var dir = new TempDirectory();
        var topology = Path.Combine(CliRunner.RepoRoot, "config", "topologies", "cxl-tiered.conf");
        var scenario = dir.Write("tiers.conf", $$"""
            numasim {
              topology = "{{topology}}"
              workload.tasks = [ { cpus = "0", steps = [ { touch = 16M } ] } ]
            }
            """);

        var result = CliRunner.RunWithTimeout(dir.Path, TimeSpan.FromMinutes(5), "validate", scenario, "--kernel", FactWhenKernelAttribute.Kernel!, "--out", dir["out"]);
        output.WriteLine(result.ToString());

        Assert.True(result.ExitCode is 0 or 4, result.ToString());
        using var report = JsonDocument.Parse(File.ReadAllText(dir["out/validate.json"]));
        var files = report.RootElement.GetProperty("files").EnumerateArray().ToDictionary(
            f => f.GetProperty("file").GetString()!,
            f => (Real: f.GetProperty("real").GetString(), Simulated: f.GetProperty("simulated").GetString()));
        const string tiers = "sys/devices/virtual/memory_tiering";
        Assert.Equal(("0-1\n", "0-1\n"), files[$"{tiers}/memory_tier4/nodelist"]);
        Assert.Equal(("2\n", "2\n"), files[$"{tiers}/memory_tier28/nodelist"]);
        Assert.Equal(("200\n", "200\n"), files["sys/devices/system/node/node2/access0/initiators/read_latency"]);
        Assert.All(files, f => Assert.True(f.Value.Real == f.Value.Simulated, $"{f.Key}: kernel {f.Value.Real}, simulator {f.Value.Simulated}"));
        Assert.Equal(12, files.Count(f => f.Key.Contains("/access0/", StringComparison.Ordinal)));
    }
}

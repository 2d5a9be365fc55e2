using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;
using NumaSim.Oracle.Compare;

namespace NumaSim.Oracle.Tests;

public sealed class ComparisonTests
{
    [Fact]
    public void Counter_files_read_as_the_kernel_prints_them()
    {
        using var dir = new TempDir();
        dir.Write("proc/vmstat", "nr_free_pages 100\npgfault 7\n");
        dir.Write("sys/devices/system/node/node1/numastat", "numa_hit 3\nnuma_miss 0\n");
        dir.Write("sys/devices/system/node/node1/meminfo", "Node 1 MemFree:         2048 kB\nNode 1 HugePages_Free:      0\n\n");

        var set = CounterSet.Read(dir.Path);

        Assert.Equal(new Dictionary<string, long>
        {
            ["vmstat nr_free_pages"] = 100, ["vmstat pgfault"] = 7, ["numastat node1 numa_hit"] = 3, ["numastat node1 numa_miss"] = 0,
            ["meminfo node1 MemFree"] = 2048, ["meminfo node1 HugePages_Free"] = 0,
        }, set.Values);
    }

    [Fact]
    public void A_garbled_line_names_its_file_and_line()
    {
        using var dir = new TempDir();
        dir.Write("proc/vmstat", "nr_free_pages 100\npgfault seven\n");

        var e = Assert.Throws<OracleException>(() => CounterSet.Read(dir.Path));

        Assert.Contains("vmstat:2:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_real_delta_is_the_run_less_the_empty_run()
    {
        using var dir = new TempDir();
        foreach (var (tag, value) in new[] { ("eb", 100), ("eh", 130), ("rb", 200), ("rh", 1230) })
        {
            dir.Write($"{tag}/proc/vmstat", $"pgfault {value}\n");
        }

        var delta = CounterComparison.RealDelta(CounterSet.Read(dir.File("rb")), CounterSet.Read(dir.File("rh")), CounterSet.Read(dir.File("eb")), CounterSet.Read(dir.File("eh")));

        Assert.Equal(1000, delta["vmstat pgfault"]);
    }

    [Theory]
    [InlineData("numastat node0 numa_hit", 100000, 97100, true)]    // 2.9 %
    [InlineData("numastat node0 numa_hit", 100000, 96900, false)]   // 3.1 %
    [InlineData("numastat node1 numa_miss", 0, 512, true)]          // the floor: one huge page of noise
    [InlineData("numastat node1 numa_miss", 0, 513, false)]
    [InlineData("meminfo node1 MemFree", -2048, 0, true)]           // kB: the floor is 512 pages of 4 kB
    [InlineData("meminfo node1 MemFree", -2052, 0, false)]
    public void Agreement_is_a_relative_tolerance_over_an_absolute_floor(string key, long real, long simulated, bool agrees)
    {
        Assert.Equal(agrees, new Tolerance(0.03).Agrees(key, real, simulated));
    }

    [Fact]
    public void Rows_list_what_moved_with_a_verdict_and_only_modelled_disagreements_count()
    {
        var modelled = ModelledCounters.Counted;
        var real = new Dictionary<string, long>
        {
            ["numastat node0 numa_hit"] = 65536, ["numastat node0 numa_miss"] = 0, ["vmstat pgfault"] = 65536,
            ["vmstat nr_shmem"] = 65536, ["vmstat pgreuse"] = 1, ["meminfo node0 AnonPages"] = 262144, ["meminfo node0 Shmem"] = 262144,
        };
        var simulated = new Dictionary<string, long>
        {
            ["numastat node0 numa_hit"] = 65536, ["vmstat pgfault"] = 65536, ["meminfo node0 AnonPages"] = 262144, ["vmstat nr_free_pages_blocks"] = -65536,
        };

        var comparison = CounterComparison.Of(real, simulated, modelled, new Tolerance(0.03));

        Assert.Equal(
            [
                ("numastat node0 numa_hit", Verdict.Agrees), ("vmstat nr_free_pages_blocks", Verdict.NotInKernel), ("vmstat nr_shmem", Verdict.NotModelled),
                ("vmstat pgfault", Verdict.Agrees), ("vmstat pgreuse", Verdict.NotModelled),
                ("meminfo node0 AnonPages", Verdict.Agrees), ("meminfo node0 Shmem", Verdict.NotModelled),
            ],
            comparison.Rows.Select(r => (r.Counter, r.Verdict)));
        Assert.True(comparison.Agrees);

        var off = CounterComparison.Of(real, new Dictionary<string, long>(simulated) { ["vmstat pgfault"] = 60000 }, modelled, new Tolerance(0.03));
        var row = Assert.Single(off.Rows, r => r.Verdict == Verdict.Disagrees);
        Assert.Equal(("vmstat pgfault", -5536L), (row.Counter, row.Difference));
        Assert.False(off.Agrees);
    }

    [Fact]
    public void The_report_prints_the_table_and_writes_validate_json()
    {
        using var dir = new TempDir();
        var rows = new CounterComparison([new CounterRow("numastat node0 numa_hit", 100, 90, Verdict.Agrees), new CounterRow("vmstat oom_kill", 1, 0, Verdict.NotModelled)]);
        var files = SysFileComparison.Of(dir.File("real"), dir.File("sim"));
        var report = new ValidationReport("s", "Linux 6.12", new Tolerance(0.03), rows, files, ["streams skipped"], [new(0, ["touch=4096"], "touched 1 pages\nexit 143")], [], 9.5, 10.25);

        report.Write(dir.Path);
        var text = report.ToText();
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("validate.json")));

        Assert.Contains("numastat node0 numa_hit", text, StringComparison.Ordinal);
        Assert.Contains("not mirrored: streams skipped", text, StringComparison.Ordinal);
        Assert.True(json.RootElement.GetProperty("agrees").GetBoolean());
        Assert.Equal("not modelled", json.RootElement.GetProperty("counters")[1].GetProperty("verdict").GetString());
        Assert.Equal(-10, json.RootElement.GetProperty("counters")[0].GetProperty("difference").GetInt64());
        Assert.Equal("touch=4096", json.RootElement.GetProperty("tasks")[0].GetProperty("steps")[0].GetString());
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void Memory_tiers_and_hmat_files_are_compared_byte_for_byte_and_a_tier_on_one_side_only_disagrees()
    {
        using var dir = new TempDir();
        const string tiers = "sys/devices/virtual/memory_tiering";
        const string access = "sys/devices/system/node/node2/access0/initiators";
        dir.Write($"real/{tiers}/memory_tier4/nodelist", "0-1\n");
        dir.Write($"real/{tiers}/memory_tier28/nodelist", "2\n");
        dir.Write($"real/{access}/read_latency", "200\n");
        dir.Write("real/sys/devices/system/node/node2/cpulist", "\n");
        dir.Write($"sim/{tiers}/memory_tier4/nodelist", "0-1\n");
        dir.Write($"sim/{tiers}/memory_tier45/nodelist", "2\n");
        dir.Write($"sim/{access}/read_latency", "200\n");

        var files = SysFileComparison.Of(dir.File("real"), dir.File("sim"));

        Assert.Equal(
            [($"{access}/read_latency", true), ($"{tiers}/memory_tier28/nodelist", false), ($"{tiers}/memory_tier4/nodelist", true), ($"{tiers}/memory_tier45/nodelist", false)],
            files.Rows.Select(r => (r.File, r.Agrees)));
        Assert.Null(files.Rows[1].Simulated);
        Assert.False(files.Agrees);
        var report = new ValidationReport("s", "Linux 6.12", new Tolerance(0.03), new CounterComparison([]), files, [], [], [], 1, 1);
        Assert.False(report.Agrees);
        Assert.Contains($"{tiers}/memory_tier28/nodelist: kernel \"2\", simulator absent  DISAGREES", report.ToText(), StringComparison.Ordinal);
    }
}

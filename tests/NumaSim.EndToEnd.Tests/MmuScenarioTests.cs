using System.Text.Json.Nodes;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>Small MMU scenarios whose counters and latencies are worked out by hand from config/reference.conf.</summary>
public sealed class MmuScenarioTests
{
    // Two nodes of 8 GiB (per-CPU batch 63, so faults mostly take a page from the CPU's own list).
    private static string Scenario(string task) => $$"""
        numasim {
          seed = 5
          topology {
            nodes = [
              { id = 0, cpus = "0", memory = 8G }
              { id = 1, cpus = "1", memory = 8G }
            ]
            distance = [[10, 20], [20, 10]]
          }
          workload.tasks = [ {{task}} ]
        }
        """;

    private static (JsonObject Summary, string Out) Run(string task)
    {
        using var dir = new TempDirectory();
        dir.Write("s.conf", Scenario(task));
        var run = CliRunner.Run(dir.Path, "run", "s.conf", "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        var outDir = Path.Combine(Path.GetTempPath(), "numasim-mmu-" + Guid.NewGuid().ToString("N"));
        Directory.Move(dir["out"], outDir);
        return (OutputTree.Summary(outDir), outDir);
    }

    private static long Get(JsonNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node?[key];
        }
        return node?.GetValue<long>() ?? throw new InvalidOperationException($"summary.json lacks {string.Join('.', path)}");
    }

    private static long VmstatItem(string outDir, string name) =>
        long.Parse(File.ReadAllLines(Path.Combine(outDir, "proc/vmstat")).Single(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Two_passes_over_64_pages_fault_each_page_once_then_hit_the_tlb()
    {
        // Writes: a first read would map the zero page instead (PageFaultTests).
        var (s, outDir) = Run("""{ cpus = "0", working-set = 256K, pattern = "sequential", write-ratio = 1, accesses = 128 }""");
        try
        {
            Assert.Equal(64, Get(s, "mmu", "faults"));
            Assert.Equal(64, VmstatItem(outDir, "pgfault"));
            Assert.Equal(64, Get(s, "tlb", "misses"));
            Assert.Equal(64, Get(s, "tlb", "hits"));
            // A hit: TLB lookup 1 ns + a local DRAM access 90 ns.
            Assert.Equal(91, Get(s, "latency_ns", "tlb_hit_local", "p99"));
            // A fault with every table present: lookup 1 + walk of 4 local levels 4 x 90 + fault entry 600
            // + the page (per-CPU list 40 + zeroing 250) + the access 90.
            Assert.Equal(1341, Get(s, "latency_ns", "fault", "p50"));
            // The root, one PUD, one PMD and one PTE table, all on node 0; 64 anonymous pages.
            Assert.Equal(4, VmstatItem(outDir, "nr_page_table_pages"));
            Assert.Equal(64, VmstatItem(outDir, "nr_anon_pages"));
            Assert.Contains("Node 0 PageTables:           16 kB", File.ReadAllLines(Path.Combine(outDir, "sys/devices/system/node/node0/meminfo")));
            Assert.Equal(68, Get(s, "numastat", "node0", "numa_hit"));
            Assert.Equal(0, Get(s, "numastat", "node1", "numa_hit"));
            Assert.Equal(1 + 128, Get(s, "operations"));
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public void Transparent_huge_pages_map_a_4_mib_working_set_with_two_faults_each_depositing_a_pte_table()
    {
        var (s, outDir) = Run("""{ cpus = "0", working-set = 4M, pattern = "sequential", accesses = 1024, thp = on }""");
        try
        {
            Assert.Equal(2, Get(s, "mmu", "faults"));
            Assert.Equal(2, VmstatItem(outDir, "thp_fault_alloc"));
            Assert.Equal(2, Get(s, "tlb", "misses"));
            Assert.Equal(1022, Get(s, "tlb", "hits"));
            // Root, PUD and PMD (the PMD entries are the huge leaves), and the PTE table deposited with each huge page.
            Assert.Equal(3 + 2, VmstatItem(outDir, "nr_page_table_pages"));
            Assert.Equal(2, VmstatItem(outDir, "nr_anon_transparent_hugepages"));
            Assert.Contains("Node 0 AnonHugePages:      4096 kB", File.ReadAllLines(Path.Combine(outDir, "sys/devices/system/node/node0/meminfo")));
            // The second fault: lookup 1 + walk of root, PUD, PMD 3 x 90 + entry 600
            // + the huge page (per-CPU list 40 + zeroing 512 x 250) + its deposited PTE table (40 + 250) + the access 90.
            Assert.Equal(129_291, Get(s, "latency_ns", "fault", "p50"));
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Theory]
    [InlineData("default", 64, 0)]
    [InlineData("bind:1", 0, 64)]
    [InlineData("preferred:1", 0, 64)]
    [InlineData("interleave:0-1", 32, 32)]
    public void First_touch_places_pages_by_the_mappings_policy(string policy, long node0Pages, long node1Pages)
    {
        var (_, outDir) = Run($$"""{ cpus = "0", working-set = 256K, pattern = "sequential", write-ratio = 1, accesses = 64, policy = "{{policy}}" }""");
        try
        {
            long Anon(int node) => long.Parse(File.ReadAllLines(Path.Combine(outDir, $"sys/devices/system/node/node{node}/meminfo"))
                .Single(l => l.Contains("AnonPages:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], System.Globalization.CultureInfo.InvariantCulture) / 4;
            Assert.Equal(node0Pages, Anon(0));
            Assert.Equal(node1Pages, Anon(1));
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public void Writes_to_a_read_only_chunk_are_segfaults_of_the_task_and_the_run_goes_on()
    {
        var (s, outDir) = Run("""{ cpus = "0", working-set = 256K, pattern = "random", write-ratio = 1, accesses = 2000, mprotect-every = 100 }""");
        try
        {
            Assert.True(Get(s, "mmu", "segfaults") > 0);
            Assert.Equal(1 + 2000 + 20, Get(s, "operations"));
            var errors = (JsonArray)s["errors"]!;
            Assert.Contains(errors, e => e!["kind"]!.GetValue<string>() == "segfault" && e["message"]!.GetValue<string>().Contains("access not permitted", StringComparison.Ordinal));
            Assert.True(s["complete"]!.GetValue<bool>());
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public void A_migrating_task_with_munmap_and_mprotect_runs_the_same_twice()
    {
        const string task = """{ cpus = "0-1", working-set = 1M, pattern = "zipf:0.9", write-ratio = 0.3, accesses = 3000, migrate-every = 500, mprotect-every = 300, munmap-every = 700 }""";
        var (first, a) = Run(task);
        var (second, b) = Run(task);
        try
        {
            Assert.True(Get(first, "mmu", "shootdowns") > 0);
            Assert.True(Get(first, "mmu", "migrations") > 0);
            Assert.True(first["complete"]!.GetValue<bool>(), first.ToJsonString());
            foreach (var file in OutputTree.Files(a).Where(f => !f.EndsWith("summary.json", StringComparison.Ordinal)))
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(a, file)), File.ReadAllBytes(Path.Combine(b, file)));
            }
            Assert.Equal(OutputTree.ReproducibleSummary(a).ToJsonString(), OutputTree.ReproducibleSummary(b).ToJsonString());
        }
        finally
        {
            Directory.Delete(a, recursive: true);
            Directory.Delete(b, recursive: true);
        }
    }
}

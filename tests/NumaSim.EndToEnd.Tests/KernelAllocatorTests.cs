using System.Globalization;
using System.Text.Json.Nodes;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>kmalloc, kmem_cache, vmalloc, gfp contexts and slab debug, through the real CLI.</summary>
public sealed class KernelAllocatorTests
{
    private static string Shipped(string name) => Path.Combine(CliRunner.RepoRoot, "config", "scenarios", name + ".conf");

    private static long Get(JsonNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node?[key];
        }
        return node?.GetValue<long>() ?? throw new InvalidOperationException($"summary.json lacks {string.Join('.', path)}");
    }

    private static long Item(string file, string name) =>
        long.Parse(File.ReadAllLines(file).Single(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], CultureInfo.InvariantCulture);

    private static string[] SlabinfoRow(string outDir, string cache) =>
        File.ReadAllLines(Path.Combine(outDir, "proc/slabinfo")).Single(l => l.StartsWith(cache + " ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Slab_debug_scenario_reports_each_bug_in_the_kernels_words_and_goes_on()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run(dir.Path, "run", Shipped("slab-debug"), "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());

        Assert.Contains(run.StderrLines, l => l.EndsWith("BUG kmalloc-128 (Not tainted): Right Redzone overwritten", StringComparison.Ordinal));
        Assert.Contains(run.StderrLines, l => l.EndsWith("): Object already free", StringComparison.Ordinal));
        Assert.Contains(run.StderrLines, l => l.EndsWith("): Poison overwritten", StringComparison.Ordinal));
        Assert.Contains(run.StderrLines, l => l.Contains("First byte 0x0 instead of 0x6b", StringComparison.Ordinal));
        Assert.Contains(run.StderrLines, l => l.EndsWith("Objects remaining in buggy_cache on __kmem_cache_shutdown()", StringComparison.Ordinal));

        var errors = OutputTree.Summary(dir["out"])["errors"]!.AsArray();
        foreach (var kind in new[] { "right_redzone_overwritten", "double_free", "poison_overwritten", "objects_remaining" })
        {
            var error = errors.First(e => e!["kind"]!.GetValue<string>() == kind)!;
            Assert.StartsWith("0xffff888", error["address"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(0, error["cpu"]!.GetValue<int>());
            Assert.True(error["simulated_ns"]!.GetValue<long>() > 0);
        }
        Assert.Equal("buggy_cache", errors.First(e => e!["kind"]!.GetValue<string>() == "double_free")!["cache"]!.GetValue<string>());
        // The destroyed cache is gone from slabinfo; the storm on the other CPUs ran to its end.
        Assert.DoesNotContain(File.ReadAllLines(dir["out/proc/slabinfo"]), l => l.StartsWith("buggy_cache ", StringComparison.Ordinal));
        // 14 CPUs x 2000 stream allocations, and the script's 6.
        Assert.Equal(14 * 2000 + 6, Get(OutputTree.Summary(dir["out"]), "kernel", "allocations"));
    }

    [Fact]
    public void Under_pressure_atomic_dips_below_min_while_kernel_waits_in_reclaim_and_both_then_fail()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run(dir.Path, "run", Shipped("atomic-pressure"), "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        var summary = OutputTree.Summary(dir["out"]);

        // The only populated zone the requests can use up is DMA32 (256 MiB); DMA is kept by its lowmem reserve.
        var zoneinfo = File.ReadAllText(dir["out/proc/zoneinfo"]);
        var dma32 = zoneinfo[zoneinfo.IndexOf("zone    DMA32", StringComparison.Ordinal)..];
        long Field(string name) => long.Parse(dma32.Split('\n').First(l => l.TrimStart().StartsWith(name + " ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], CultureInfo.InvariantCulture);
        var free = Field("pages free");
        var min = Field("min");
        Assert.True(free < min, $"GFP_ATOMIC should have taken the zone below min: free {free}, min {min}");
        // __GFP_HIGH halves min, a non-blocking request takes a quarter off that: 37.5% of min is as deep
        // as GFP_ATOMIC may go; a per-CPU refill may take one last batch from just above it.
        var half = min - min / 2;
        var floor = half - half / 4;
        Assert.InRange(free, floor - 63, floor + 63);

        Assert.True(Get(summary, "kernel", "reclaim_waits") > 0);
        Assert.True(Get(summary, "kernel", "failed") > 0);
        Assert.Equal(1, Get(summary, "kernel", "sleeping_in_atomic"));
        Assert.Contains(run.StderrLines, l => l.EndsWith("BUG: sleeping function called from invalid context at include/linux/sched/mm.h:321", StringComparison.Ordinal));
        Assert.Contains(run.StderrLines, l => l.EndsWith("swapper/2: page allocation failure: order:0, mode:0x40820(GFP_ATOMIC|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0", StringComparison.Ordinal));
        Assert.Contains(run.StderrLines, l => l.EndsWith("kworker/0:1: page allocation failure: order:1, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0", StringComparison.Ordinal));
        // A GFP_KERNEL failure comes only after a pass of direct reclaim (20 us): with nothing reclaimable no zone can
        // get back over min, so should_reclaim_retry gives up at once, and a run without tasks has nobody to OOM-kill.
        Assert.True(Get(summary, "latency_ns", "kalloc_failed", "max") >= 20_000);
        Assert.True(Get(summary, "latency_ns", "kalloc_failed", "max") < 16 * 20_000);
    }

    [Fact]
    public void A_failed_kmem_cache_create_with_slab_panic_panics_with_exit_3_and_writes_the_outputs()
    {
        using var dir = new TempDirectory();
        dir.Write("panic.conf", """
            numasim {
              topology = "two-socket"
              slab.caches = [{ name = "broken", size = 0, flags = "SLAB_PANIC" }]
            }
            """);
        var run = CliRunner.Run(dir.Path, "run", "panic.conf", "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 3, run.ToString());
        const string panic = "Kernel panic - not syncing: __kmem_cache_create_args: Failed to create slab 'broken'. Error -22";
        Assert.EndsWith(panic, run.StderrLines[^1], StringComparison.Ordinal);
        Assert.Equal(panic, OutputTree.Summary(dir["out"])["panic"]!.GetValue<string>());
        // A panic at boot is a run that did not finish.
        Assert.False(OutputTree.Summary(dir["out"])["complete"]!.GetValue<bool>());
        Assert.Equal("kernel panic", OutputTree.Summary(dir["out"])["incomplete_reason"]!.GetValue<string>());
        Assert.True(File.Exists(dir["out/proc/slabinfo"]));
    }

    [Fact]
    public void Kmalloc_kmalloc_node_vmalloc_and_vfree_leave_the_counts_worked_out_by_hand()
    {
        using var dir = new TempDirectory();
        dir.Write("k.conf", """
            numasim {
              seed = 1
              topology {
                nodes = [
                  { id = 0, cpus = "0-1", memory = 1G }
                  { id = 1, cpus = "2-3", memory = 1G }
                ]
                distance = [[10, 20], [20, 10]]
              }
              workload.script = [
                { at = 1us, cpu = 0, do = kmalloc, name = "a", size = 100 }
                { at = 2us, cpu = 0, do = kmalloc, name = "b", size = 64, node = 1 }
                { at = 3us, cpu = 0, do = vmalloc, name = "v", size = 12K }
                { at = 4us, cpu = 0, do = vmalloc, name = "w", size = 8K }
                { at = 5us, cpu = 0, do = vfree, name = "w" }
              ]
            }
            """);
        var run = CliRunner.Run(dir.Path, "run", "k.conf", "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        var summary = OutputTree.Summary(dir["out"]);

        // kmalloc(100) is kmalloc-128 (32 objects in an order-0 slab); kmalloc_node(64, 1) a kmalloc-64 slab on node 1.
        Assert.Equal(["32", "32", "128", "32", "1"], SlabinfoRow(dir["out"], "kmalloc-128")[1..6]);
        Assert.Equal(["64", "64", "64", "64", "1"], SlabinfoRow(dir["out"], "kmalloc-64")[1..6]);
        Assert.Equal(2, Item(dir["out/proc/vmstat"], "nr_slab_unreclaimable"));
        // vmalloc(12K): 3 pages and a guard page; the kernel page table needed a PUD, a PMD and a PTE page.
        var vmallocinfo = File.ReadAllLines(dir["out/proc/vmallocinfo"]);
        var line = Assert.Single(vmallocinfo);
        Assert.Matches(@"^0xffffc9[0-9a-f]{10}-0xffffc9[0-9a-f]{10}   16384 numasim_vmalloc\+0x2c/0x40 pages=3 vmalloc N0=3$", line);
        Assert.Equal(3, Item(dir["out/proc/vmstat"], "nr_page_table_pages"));
        // vfree(w) flushed all 4 CPUs' TLBs: CPU 0 its own directly, the 3 others by IPI.
        Assert.Equal(3, Get(summary, "mmu", "ipis"));
        // numastat: node 0 served the kmalloc-128 slab, 5 vmalloc pages and 3 page-table pages; node 1
        // the kmalloc-64 slab, asked for by a CPU of node 0.
        Assert.Equal(9, Get(summary, "numastat", "node0", "numa_hit"));
        Assert.Equal(1, Get(summary, "numastat", "node1", "numa_hit"));
        Assert.Equal(1, Get(summary, "numastat", "node1", "other_node"));
        Assert.Equal(4, Get(summary, "kernel", "allocations"));
        Assert.Equal(1, Get(summary, "kernel", "frees"));
    }

    [Fact]
    public void Fragmentation_leaves_memory_free_in_small_blocks_only_and_order_9_requests_fail()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run(dir.Path, "run", Shipped("fragmentation"), "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        var dma32 = File.ReadAllLines(dir["out/proc/buddyinfo"]).Single(l => l.Contains("DMA32", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[4..].Select(long.Parse).ToArray();
        var freePages = dma32.Select((count, order) => count << order).Sum();
        Assert.True(freePages > 16_384, $"a third of the zone should be free again, found {freePages} pages");
        Assert.Equal(0, dma32[9] + dma32[10]);
        Assert.True(Get(OutputTree.Summary(dir["out"]), "allocations", "failed") > 0);
    }

    [Fact]
    public void The_kmalloc_storm_is_deterministic()
    {
        using var dir = new TempDirectory();
        dir.Write("storm.conf", File.ReadAllText(Shipped("kmalloc-storm")).Replace("operations = 10000", "operations = 1500", StringComparison.Ordinal));
        var a = CliRunner.Run(dir.Path, "run", "storm.conf", "--out", "a", "--quiet");
        Assert.True(a.ExitCode == 0, a.ToString());
        var b = CliRunner.Run(dir.Path, "run", "storm.conf", "--out", "b", "--quiet");
        Assert.True(b.ExitCode == 0, b.ToString());
        foreach (var file in OutputTree.Files(dir["a"]).Where(f => f != "summary.json"))
        {
            Assert.True(File.ReadAllBytes(Path.Combine(dir["a"], file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir["b"], file))), $"{file} differs");
        }
        Assert.True(JsonNode.DeepEquals(OutputTree.ReproducibleSummary(dir["a"]), OutputTree.ReproducibleSummary(dir["b"])));
        Assert.True(Get(OutputTree.Summary(dir["a"]), "kernel", "ctor_calls") > 0);
        Assert.Contains("kmalloc-1k", File.ReadAllText(dir["a/proc/slabinfo"]), StringComparison.Ordinal);
    }
}

using System.Globalization;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>DIR/proc/meminfo of a run and `numasim proc meminfo` / `proc node-meminfo`.</summary>
public sealed class ProcMeminfoTests
{
    /// <summary>The hand-worked kernel allocations of KernelAllocatorTests: 2 slab pages, 3 vmalloc pages, 3 page-table pages.</summary>
    private const string Kernel = """
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
        """;

    [Fact]
    public void Run_tree_meminfo_adds_up_the_nodes_and_shows_the_kernel_allocations()
    {
        using var dir = new TempDirectory();
        dir.Write("k.conf", Kernel);
        var run = CliRunner.Run(dir.Path, "run", "k.conf", "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());

        var meminfo = Values(File.ReadAllLines(dir["out/proc/meminfo"]));
        var nodes = Enumerable.Range(0, 2)
            .Select(n => Values(File.ReadAllLines(dir[$"out/sys/devices/system/node/node{n}/meminfo"]).Select(l => l[7..])))
            .ToList();

        Assert.Equal("MemTotal", meminfo.Keys.First());
        Assert.Equal(nodes.Sum(n => n["MemTotal"]), meminfo["MemTotal"]);
        Assert.Equal(nodes.Sum(n => n["MemFree"]), meminfo["MemFree"]);
        Assert.Equal(4 * Item(dir["out/proc/vmstat"], "nr_free_pages"), meminfo["MemFree"]);
        Assert.Equal(8, meminfo["Slab"]);        // the kmalloc-128 and kmalloc-64 slabs
        Assert.Equal(8, meminfo["SUnreclaim"]);
        Assert.Equal(0, meminfo["SReclaimable"]);
        Assert.Equal(12, meminfo["PageTables"]); // PUD, PMD and PTE pages of the kernel page table
        Assert.Equal(12, meminfo["VmallocUsed"]); // vmalloc(12K) left after vfree(w)
        Assert.Equal(34359738367, meminfo["VmallocTotal"]);
        Assert.Equal(meminfo["MemTotal"] / 4 * 50 / 100 * 4, meminfo["CommitLimit"]); // overcommit_ratio 50, no swap
        Assert.InRange(meminfo["MemAvailable"], 1, meminfo["MemFree"]);
        Assert.Equal(2048, meminfo["Hugepagesize"]);
    }

    [Fact]
    public void Proc_meminfo_prints_the_run_trees_file_and_node_meminfo_the_node_files()
    {
        using var dir = new TempDirectory();
        dir.Write("k.conf", Kernel);
        var run = CliRunner.Run(dir.Path, "run", "k.conf", "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());

        var meminfo = CliRunner.Run(dir.Path, "proc", "meminfo", "k.conf");
        var nodeMeminfo = CliRunner.Run(dir.Path, "proc", "node-meminfo", "k.conf");

        Assert.True(meminfo.ExitCode == 0, meminfo.ToString());
        Assert.Equal(File.ReadAllText(dir["out/proc/meminfo"]), meminfo.Stdout);
        Assert.True(nodeMeminfo.ExitCode == 0, nodeMeminfo.ToString());
        Assert.Equal(
            File.ReadAllText(dir["out/sys/devices/system/node/node0/meminfo"]) + File.ReadAllText(dir["out/sys/devices/system/node/node1/meminfo"]),
            nodeMeminfo.Stdout);
    }

    /// <summary>"Label:   value [kB]" lines as label to value.</summary>
    private static Dictionary<string, long> Values(IEnumerable<string> lines) =>
        lines.Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0], p => long.Parse(p[1].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture));

    private static long Item(string path, string name) =>
        long.Parse(File.ReadLines(path).Single(l => l.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..], CultureInfo.InvariantCulture);
}

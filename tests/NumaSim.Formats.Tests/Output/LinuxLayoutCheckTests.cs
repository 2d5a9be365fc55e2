using System.Text.RegularExpressions;
using NumaSim.Formats.Output;
using NumaSim.Formats.Tests.Support;

namespace NumaSim.Formats.Tests.Output;

/// <summary>The layout check catches each way a file can leave the kernel's layout; a written tree passes it.</summary>
public class LinuxLayoutCheckTests
{
    [Fact]
    public void A_written_tree_has_no_problems()
    {
        using var dir = Written();

        Assert.Empty(LinuxLayoutCheck.Problems(RepositoryPaths.Reference, dir.Path));
    }

    [Theory]
    // buddyinfo: one count printed %7lu instead of %6lu.
    [InlineData("proc/buddyinfo", @"^(Node 0, zone +\S+ +\d+ )", "$1 ", "buddyinfo layout")]
    // pagetypeinfo: a header line reworded.
    [InlineData("proc/pagetypeinfo", "Page block order", "Pageblock order", "pagetypeinfo header differs")]
    // zoneinfo: a key of the per-zone block renamed.
    [InlineData("proc/zoneinfo", @"\n        spanned ", "\n        spanned_pages ", "zoneinfo block")]
    // slabinfo: a name column one wider than %-17s.
    [InlineData("proc/slabinfo", @"\nkmalloc-8 ", "\nkmalloc-8  ", "slabinfo column alignment differs")]
    // slabinfo: the kernel's kmalloc-1k cache missing.
    [InlineData("proc/slabinfo", @"\nkmalloc-1k ", "\nkmalloc-1000 ", "slabinfo lacks kmalloc-1k")]
    // vmstat: a key the kernel prints, dropped.
    [InlineData("proc/vmstat", @"\nnr_zone_inactive_anon \d+", "", "vmstat lacks 1 keys")]
    // vmstat: two keys swapped.
    [InlineData("proc/vmstat", @"^(nr_free_pages \d+)\n(nr_free_pages_blocks \d+)", "$2\n$1", "vmstat keys out of the kernel's order")]
    // a node's meminfo: a key renamed.
    [InlineData("sys/devices/system/node/node0/meminfo", "MemFree:", "MemFre:", "node0/meminfo keys differ")]
    // a node's meminfo: the kB unit written as KB.
    [InlineData("sys/devices/system/node/node1/meminfo", @"(MemTotal: +\d+) kB", "$1 KB", "node1/meminfo line layout differs")]
    [InlineData("sys/devices/system/node/node0/distance", @" ", ",", "node0/distance malformed")]
    [InlineData("numactl-hardware.txt", "available:", "nodes available:", "numactl-hardware.txt layout differs")]
    public void A_wrong_layout_is_named(string file, string pattern, string replacement, string problem)
    {
        using var dir = Written();
        var path = dir.File(file);
        var text = File.ReadAllText(path);
        var changed = Regex.Replace(text, pattern, replacement, RegexOptions.Multiline);
        Assert.NotEqual(text, changed); // the edit applies: the test edits a real line

        File.WriteAllText(path, changed);

        var problems = LinuxLayoutCheck.Problems(RepositoryPaths.Reference, dir.Path);
        Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        using var dir = Written();
        File.Delete(dir.File("proc/pagetypeinfo"));

        Assert.Equal(["missing proc/pagetypeinfo"], LinuxLayoutCheck.Problems(RepositoryPaths.Reference, dir.Path));
    }

    [Fact]
    public void A_tree_without_node_directories_is_refused()
    {
        using var dir = Written();
        Directory.Delete(dir.File("sys"), recursive: true);

        Assert.Contains("no sys/devices/system/node/node*", LinuxLayoutCheck.Problems(RepositoryPaths.Reference, dir.Path));
    }

    private static TempDirectory Written()
    {
        var dir = new TempDirectory();
        OutputTreeWriter.Write(dir.Path, SyntheticMachine.Build(), SampleRun.Summary());
        return dir;
    }
}

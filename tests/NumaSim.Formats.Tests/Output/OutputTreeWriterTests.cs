using NumaSim.Formats.Output;
using NumaSim.Formats.Proc;
using NumaSim.Formats.Sys;
using NumaSim.Formats.Tests.Support;
using NumaSim.Model.Snapshots;

namespace NumaSim.Formats.Tests.Output;

public class OutputTreeWriterTests
{
    public static TheoryData<string> Machines => ["reference", "synthetic"];

    [Theory]
    [MemberData(nameof(Machines))]
    public void Written_tree_passes_the_linux_format_checker(string machine)
    {
        using var dir = new TempDirectory();

        OutputTreeWriter.Write(dir.Path, Machine(machine), SampleRun.Summary());

        Assert.Empty(LinuxLayoutCheck.Problems(RepositoryPaths.Reference, dir.Path));
    }

    [Fact]
    public void Tree_holds_every_file_of_the_contract_and_no_temporary_files()
    {
        using var dir = new TempDirectory();

        OutputTreeWriter.Write(dir.Path, SyntheticMachine.Build(), SampleRun.Summary());
        OutputTreeWriter.Write(dir.Path, SyntheticMachine.Build(), SampleRun.Summary()); // overwrite in place

        var files = Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir.Path, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        string[] perNode = ["cpulist", "cpumap", "distance", "meminfo", "numastat"];
        var expected = new[] { "numactl-hardware.txt", "summary.json" }
            .Concat(new[] { "buddyinfo", "meminfo", "pagetypeinfo", "slabinfo", "vmallocinfo", "vmstat", "zoneinfo" }.Select(f => "proc/" + f))
            .Concat(new[] { "has_cpu", "has_memory", "has_normal_memory", "online", "possible" }.Select(f => "sys/devices/system/node/" + f))
            .Concat(Enumerable.Range(0, 3).SelectMany(n => perNode.Select(f => $"sys/devices/system/node/node{n}/{f}")))
            .Append("sys/devices/virtual/memory_tiering/memory_tier4/nodelist")
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, files);
        Assert.Equal(NumactlHardwareRenderer.Render(SyntheticMachine.Build()), File.ReadAllText(dir.File("numactl-hardware.txt")));
        Assert.Equal(MeminfoRenderer.Render(SyntheticMachine.Build()), File.ReadAllText(dir.File("proc/meminfo")));
    }

    [Fact]
    public void Node_directories_of_an_earlier_bigger_run_are_removed()
    {
        using var dir = new TempDirectory();
        OutputTreeWriter.Write(dir.Path, SyntheticMachine.Build(), SampleRun.Summary());

        OutputTreeWriter.Write(dir.Path, ReferenceMachine.Build(), SampleRun.Summary());

        Assert.Equal(["node0"], Directory.GetDirectories(dir.File("sys/devices/system/node")).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("buddyinfo", "Node 0, zone      DMA ")]
    [InlineData("pagetypeinfo", "Page block order: 9\n")]
    [InlineData("zoneinfo", "Node 0, zone      DMA\n  per-node stats\n")]
    [InlineData("slabinfo", "slabinfo - version: 2.1\n")]
    [InlineData("vmstat", "nr_free_pages ")]
    [InlineData("numastat", "                           node0           node1           node2\n")]
    [InlineData("meminfo", "MemTotal:       17063936 kB\nMemFree:  ")]
    [InlineData("node-meminfo", "Node 0 MemTotal: ")]
    [InlineData("hardware", "available: 3 nodes (0-2)\n")]
    public void RenderProc_gives_each_named_file(string name, string start)
    {
        Assert.StartsWith(start, OutputTreeWriter.RenderProc(name, SyntheticMachine.Build()));
    }

    [Fact]
    public void RenderProc_node_meminfo_concatenates_every_node()
    {
        var text = OutputTreeWriter.RenderProc("node-meminfo", SyntheticMachine.Build());

        Assert.Equal(3, text.Split('\n').Count(l => l.Contains(" MemTotal:", StringComparison.Ordinal)));
    }

    [Fact]
    public void RenderProc_refuses_an_unknown_name_and_lists_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => OutputTreeWriter.RenderProc("meminfoo", SyntheticMachine.Build()));

        Assert.Contains("meminfoo", e.Message);
        Assert.Contains("buddyinfo pagetypeinfo zoneinfo slabinfo vmstat vmallocinfo numastat meminfo node-meminfo hardware", e.Message);
    }

    private static MachineSnapshot Machine(string name) =>
        name == "reference" ? ReferenceMachine.Build() : SyntheticMachine.Build();
}

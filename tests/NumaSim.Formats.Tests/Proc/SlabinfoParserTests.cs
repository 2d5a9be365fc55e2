using NumaSim.Formats.Proc;
using NumaSim.Formats.Tests.Support;

namespace NumaSim.Formats.Tests.Proc;

public class SlabinfoParserTests
{
    [Fact]
    public void Reference_slabinfo_gives_every_cache_line_in_file_order()
    {
        var rows = SlabinfoParser.ReadFile(RepositoryPaths.ReferenceFile("slabinfo"));

        Assert.Equal(235, rows.Count);
        Assert.Equal(
            new SlabinfoRow("btrfs_delayed_node", 0, 0, 312, 13, 1, 0, 0, 0, 0, 0, 0, Line: 3),
            rows[0]);
        var bufferHead = Assert.Single(rows, r => r.Name == "buffer_head");
        Assert.Equal((81524L, 92937L, 104L, 39L, 1L, 2383L, 2383L), (bufferHead.ActiveObjects, bufferHead.NumObjects,
            bufferHead.ObjectSize, bufferHead.ObjectsPerSlab, bufferHead.PagesPerSlab, bufferHead.ActiveSlabs, bufferHead.NumSlabs));
        // The totals real slabtop printed for this file: 274752 / 294098 objects, 9364 slabs.
        Assert.Equal(274752, rows.Sum(r => r.ActiveObjects));
        Assert.Equal(294098, rows.Sum(r => r.NumObjects));
        Assert.Equal(9364, rows.Sum(r => r.NumSlabs));
    }

    [Fact]
    public void What_the_slabinfo_renderer_writes_reads_back_as_the_same_caches()
    {
        var machine = SyntheticMachine.Build();

        var rows = SlabinfoParser.Parse(SlabinfoRenderer.Render(machine), "synthetic");

        Assert.Equal(machine.SlabCaches.Select(SlabinfoRow.From), rows.Select(r => r with { Line = 0 }));
        Assert.Equal([3, 4, 5, 6, 7, 8], rows.Select(r => r.Line));
    }

    [Fact]
    public void Tabs_wide_slab_tunables_and_the_statistics_tail_are_read()
    {
        const string text =
            "slabinfo - version: 2.1 (statistics)\n"
            + "# name            <active_objs> <num_objs> ...\n"
            + "kmalloc-192\t200  231 192 21 1 :  tunables 120 60 8 : slabdata 11 11 37 : globalstat 1 2 3 4 0 0 0 0 0 : cpustat 5 6 7 8\n"
            + "\n"
            + "   ext4_inode_cache   19582   19586   1128   14   4 : tunables    0    0    0 : slabdata   1399   1399      0  \n";

        var rows = SlabinfoParser.Parse(text, "stats");

        Assert.Equal(
            [
                new SlabinfoRow("kmalloc-192", 200, 231, 192, 21, 1, 120, 60, 8, 11, 11, 37, Line: 3),
                new SlabinfoRow("ext4_inode_cache", 19582, 19586, 1128, 14, 4, 0, 0, 0, 1399, 1399, 0, Line: 5),
            ],
            rows);
    }

    [Theory]
    [InlineData("slabinfo - version: 1.1\nx 1 1 8 1 1 : tunables 0 0 0 : slabdata 1 1 0\n", "f:1: not slabinfo version 2.x")]
    [InlineData("", "f:1: not slabinfo version 2.x")]
    [InlineData("slabinfo - version: 2.1\nok 1 1 8 1 1 : tunables 0 0 0 : slabdata 1 1 0\nbad 1 1 8 1 1 : tunables 0 0 0 : slabdata 1 1\n",
        "f:3: malformed slabinfo line for 'bad': expected NAME <active_objs>")]
    [InlineData("slabinfo - version: 2.1\nbad 1 1 8 1 1 : tunables 0 0 : slabdata 1 1 0\n", "f:2: malformed slabinfo line for 'bad'")]
    [InlineData("slabinfo - version: 2.1\nbad 1 -1 8 1 1 : tunables 0 0 0 : slabdata 1 1 0\n", "f:2: malformed slabinfo line for 'bad': <num_objs> is '-1'")]
    [InlineData("slabinfo - version: 2.1\nbad 1 1 8 1 1 : tunables 0 0 0 : slabdata 1 1 0 trailing\n", "f:2: malformed slabinfo line for 'bad'")]
    public void Malformed_text_is_refused_naming_the_file_and_line(string text, string start)
    {
        var e = Assert.Throws<FormatException>(() => SlabinfoParser.Parse(text, "f"));

        Assert.StartsWith(start, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_missing_file_is_refused_naming_it()
    {
        using var dir = new TempDirectory();
        var path = dir.File("nope/slabinfo");

        var e = Assert.Throws<FormatException>(() => SlabinfoParser.ReadFile(path));

        Assert.Equal($"{path}: file not found", e.Message);
    }
}

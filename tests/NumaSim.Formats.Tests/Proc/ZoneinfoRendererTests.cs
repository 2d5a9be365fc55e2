using NumaSim.Formats.Proc;
using NumaSim.Formats.Tests.Support;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Tests.Proc;

public class ZoneinfoRendererTests
{
    private static readonly List<ReferenceZoneBlock> Real = ReferenceZoneinfo.Parse(RepositoryPaths.ReadReference("zoneinfo"));
    private static readonly List<ReferenceZoneBlock> Rendered = ReferenceZoneinfo.Parse(ZoneinfoRenderer.Render(ReferenceMachine.Build()));

    [Theory]
    [InlineData(ZoneType.Dma)]
    [InlineData(ZoneType.Dma32)]
    [InlineData(ZoneType.Movable)]
    [InlineData(ZoneType.Device)]
    public void Zones_whose_counters_the_model_tracks_render_byte_identical(ZoneType type)
    {
        // DMA carries the per-node stats; DMA32 the full zone block; Movable and Device are unpopulated.
        Assert.Equal(Block(Real, type).Lines, Block(Rendered, type).Lines);
    }

    [Fact]
    public void Normal_zone_has_the_real_keys_watermarks_and_pagesets()
    {
        var real = Block(Real, ZoneType.Normal).Lines;
        var rendered = Block(Rendered, ZoneType.Normal).Lines;

        Assert.Equal(real.Select(Key), rendered.Select(Key));
        // The LRU, mlock and write-pending counters are not modelled and print 0; everything else matches.
        static bool Untracked(string line) => Key(line).StartsWith("nr_zone_", StringComparison.Ordinal) || Key(line) == "nr_mlock";
        Assert.Equal(real.Where(l => !Untracked(l)), rendered.Where(l => !Untracked(l)));
        Assert.All(rendered.Where(Untracked), l => Assert.EndsWith(" 0", l));
    }

    [Fact]
    public void Whole_file_has_the_real_header_lines_in_order()
    {
        var text = ZoneinfoRenderer.Render(ReferenceMachine.Build());

        Assert.Equal(
            RepositoryPaths.ReadReference("zoneinfo").Split('\n').Select(Key),
            text.Split('\n').Select(Key));
    }

    [Fact]
    public void Every_zone_of_every_node_appears_with_per_node_stats_in_its_first_populated_zone()
    {
        var blocks = ReferenceZoneinfo.Parse(ZoneinfoRenderer.Render(SyntheticMachine.Build()));

        Assert.Equal(15, blocks.Count);
        Assert.Equal(
            [(0, ZoneType.Dma), (1, ZoneType.Normal), (2, ZoneType.Movable)],
            blocks.Where(b => b.NodeStats.Count > 0).Select(b => (b.Node, b.Type)));
        var node2Movable = blocks.Single(b => b.Node == 2 && b.Type == ZoneType.Movable);
        Assert.Equal(Enumerable.Range(0, 16), node2Movable.Pagesets.Select(p => p.Cpu));
        Assert.Equal(4194304, node2Movable.Field("start_pfn"));
    }

    private static ReferenceZoneBlock Block(List<ReferenceZoneBlock> blocks, ZoneType type) =>
        blocks.Single(b => b.Node == 0 && b.Type == type);

    private static string Key(string line) => line.Trim().Split(' ')[0];
}

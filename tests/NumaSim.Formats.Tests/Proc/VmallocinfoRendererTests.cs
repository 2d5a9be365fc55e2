using NumaSim.Formats.Proc;
using NumaSim.Model.Mmu;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Vmalloc;

namespace NumaSim.Formats.Tests.Proc;

public class VmallocinfoRendererTests
{
    private const ulong Start = 0xffffc90000000000;

    private static VmallocSnapshot Snapshot(int vmapNodes, params VmAreaSnapshot[] areas) =>
        new(Start, 0xffffe8ffffffffff, 4096, vmapNodes, areas.Where(a => a.Populated).Sum(a => (long)a.NrPages), areas);

    [Fact]
    public void Areas_print_as_vmalloc_info_show_does_in_address_order_with_pages_per_node()
    {
        var s = Snapshot(
            1,
            new VmAreaSnapshot(Start + 0x5000, 0x9000, "xt_alloc_table_info+0xfe/0x130 [x_tables]", 8, [0, 8]),
            new VmAreaSnapshot(Start, 0x5000, "numasim_vmalloc+0x1c/0x40", 4, [3, 1]),
            new VmAreaSnapshot(Start + 0xe000, 0x802000, "alloc_large_system_hash+0x1a3/0x2a0", 2049, [1024, 0, 1025]));

        Assert.Equal(
            "0xffffc90000000000-0xffffc90000005000   20480 numasim_vmalloc+0x1c/0x40 pages=4 vmalloc N0=3 N1=1\n" +
            "0xffffc90000005000-0xffffc9000000e000   36864 xt_alloc_table_info+0xfe/0x130 [x_tables] pages=8 vmalloc N1=8\n" +
            "0xffffc9000000e000-0xffffc90000810000 8396800 alloc_large_system_hash+0x1a3/0x2a0 pages=2049 vmalloc N0=1024 N2=1025\n",
            VmallocinfoRenderer.Render(s));
    }

    [Fact]
    public void Areas_still_being_populated_are_left_out()
    {
        var s = Snapshot(
            1,
            new VmAreaSnapshot(Start, 0x2000, "a+0x0/0x8", 1, [1]),
            new VmAreaSnapshot(Start + 0x2000, 0x3000, "b+0x0/0x8", 2, [], Populated: false));

        Assert.Equal("0xffffc90000000000-0xffffc90000002000    8192 a+0x0/0x8 pages=1 vmalloc N0=1\n", VmallocinfoRenderer.Render(s));
    }

    [Fact]
    public void With_several_vmap_nodes_each_nodes_areas_come_in_turn_as_the_kernel_walks_them()
    {
        // Two vmap nodes of 16-page (64 KiB) zones: 0x00000 and 0x20000 are node 0's, 0x10000 is node 1's.
        var s = Snapshot(
            2,
            new VmAreaSnapshot(Start + 0x10000, 0x2000, "b+0x0/0x8", 1, [1]),
            new VmAreaSnapshot(Start + 0x20000, 0x2000, "c+0x0/0x8", 1, [0, 1]),
            new VmAreaSnapshot(Start, 0x2000, "a+0x0/0x8", 1, [1]));

        Assert.Equal(
            "0xffffc90000000000-0xffffc90000002000    8192 a+0x0/0x8 pages=1 vmalloc N0=1\n" +
            "0xffffc90000020000-0xffffc90000022000    8192 c+0x0/0x8 pages=1 vmalloc N1=1\n" +
            "0xffffc90000010000-0xffffc90000012000    8192 b+0x0/0x8 pages=1 vmalloc N0=1\n",
            VmallocinfoRenderer.Render(s));
    }

    [Fact]
    public void A_model_area_renders_with_the_nodes_its_pages_came_from()
    {
        var area = new VmallocArea(VmallocRange.X86_64_4Level, new PageTable(PagingMode.X86_64_4Level, 1, 0));
        var first = area.Reserve(2 * 4096 + 1, "numasim_vmalloc+0x1c/0x40")!;
        area.Map(first, [10, 11, 20], pfn => pfn < 20 ? 1 : 0, [(100, 0), (101, 0), (102, 0)]);
        var second = area.Reserve(4096, "numasim_vmalloc+0x1c/0x40")!;
        area.Map(second, [30], _ => 0, []);
        area.Release(first.Address);

        Assert.Equal(
            "0xffffc90000004000-0xffffc90000006000    8192 numasim_vmalloc+0x1c/0x40 pages=1 vmalloc N0=1\n",
            VmallocinfoRenderer.Render(area.Snapshot()));
        Assert.Equal(4, area.Snapshot().VmallocUsedKb);
    }
}

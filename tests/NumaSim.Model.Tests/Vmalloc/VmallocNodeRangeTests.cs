using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tests.SlabAllocator;
using NumaSim.Model.Vmalloc;
using Xunit;

namespace NumaSim.Model.Tests.Vmalloc;

/// <summary>__vmalloc_node_range as a step machine, driven step by step and by <see cref="VmallocDriver"/>.</summary>
public sealed class VmallocNodeRangeTests
{
    private const ulong Start = 0xffffc90000000000;
    private const int Page = 4096;

    private static VmallocArea NewArea(VmallocRange? range = null) =>
        new(range ?? VmallocRange.X86_64_4Level, new PageTable(PagingMode.X86_64_4Level, rootPfn: 1, rootNode: 0));

    [Fact]
    public void Pages_are_asked_one_at_a_time_on_the_callers_node_then_zeroed_tables_on_the_table_node_then_mapped()
    {
        var procedure = new VmallocNodeRange(NewArea());

        var step = procedure.Begin(2 * Page, Gfp.Kernel, node: 1, tableNode: 0, "f+0x0/0x10", "numasim");
        Assert.Equal((VmallocStepKind.NeedPage, 1, Gfp.Kernel), (step.Kind, step.Node, step.Gfp));
        Assert.True(procedure.InProgress);
        step = procedure.Resume(0x2000, 1);
        Assert.Equal((VmallocStepKind.NeedPage, 1), (step.Kind, step.Node));
        step = procedure.Resume(0x2001, 1);

        // An empty kernel page table lacks the PUD, PMD and PTE tables under the area.
        var tables = new List<long>();
        while (step.Kind == VmallocStepKind.NeedPage)
        {
            Assert.Equal((0, Gfp.Kernel | Gfp.Zero), (step.Node, step.Gfp));
            tables.Add(0x9000 + tables.Count);
            step = procedure.Resume(tables[^1], 0);
        }
        Assert.Equal(3, tables.Count);
        Assert.Equal(VmallocStepKind.Done, step.Kind);
        Assert.False(procedure.InProgress);
        Assert.Equal(Start, step.Area!.Address);
        Assert.Equal([0x2000L, 0x2001L], step.Pages);
        Assert.Equal(tables, step.Tables);
        Assert.Empty(step.UnusedTables);
        Assert.Null(step.Warning);
        var pte = procedure.Area.PageTable.Walk(procedure.Area.Vpn(Start + Page), []);
        Assert.Equal((0x2001L, 1), (pte!.Value.Pfn, pte.Value.Node));
    }

    [Fact]
    public void A_second_area_under_the_same_tables_asks_for_no_table_page()
    {
        var pages = new FakePageSource(nodes: 2);
        var driver = new VmallocDriver(NewArea(), pages);
        Assert.Equal(VmallocStepKind.Done, driver.Vmalloc(Page, Gfp.Kernel, node: 0).Kind);
        var callsBefore = pages.AllocCalls;

        var second = driver.Vmalloc(3 * Page, Gfp.Kernel, node: 1);

        Assert.Equal(VmallocStepKind.Done, second.Kind);
        Assert.Empty(second.Tables);
        Assert.Equal(3, pages.AllocCalls - callsBefore);
        Assert.All(second.Pages, pfn => Assert.Equal(1, FakePageSource.NodeOf(pfn)));
    }

    [Fact]
    public void A_refused_page_releases_the_area_warns_with_the_bytes_gathered_and_gives_every_page_back()
    {
        var pages = new FakePageSource(nodes: 1);
        pages.SetBudget(0, 2);
        var driver = new VmallocDriver(NewArea(), pages);

        var step = driver.Vmalloc(4 * Page, Gfp.Kernel | Gfp.ThisNode, node: 0, comm: "insmod");

        Assert.Equal(VmallocStepKind.Failed, step.Kind);
        Assert.Equal("insmod: vmalloc error: size 8192, failed to allocate pages", step.Warning);
        Assert.Equal(2, step.Pages.Count);
        Assert.Equal(pages.PagesTaken, pages.PagesReturned);
        Assert.Empty(driver.Area.Areas);
        Assert.False(driver.Procedure.InProgress);

        pages.SetBudget(0, 100);
        Assert.Equal(Start, driver.Vmalloc(Page, Gfp.Kernel, node: 0).Area!.Address);
    }

    [Fact]
    public void A_full_range_fails_before_any_page_is_asked_for_and_size_zero_fails_silently()
    {
        var pages = new FakePageSource(nodes: 1);
        var driver = new VmallocDriver(NewArea(new VmallocRange(Start, Start + 4 * Page - 1)), pages);

        var tooBig = driver.Vmalloc(4 * Page, Gfp.Kernel, node: 0);
        var zero = driver.Vmalloc(0, Gfp.Kernel, node: 0);

        Assert.Equal((VmallocStepKind.Failed, VmallocWarnings.VmapAllocationFailed(5 * Page)), (tooBig.Kind, tooBig.Warning));
        Assert.Equal((VmallocStepKind.Failed, null), (zero.Kind, zero.Warning));
        Assert.Equal(0, pages.AllocCalls);
    }

    [Fact]
    public void Vfree_gives_the_data_pages_back_and_keeps_the_tables_in_the_kernel_page_table()
    {
        var pages = new FakePageSource(nodes: 2);
        var driver = new VmallocDriver(NewArea(), pages, tableNode: 1);
        var step = driver.Vmalloc(5 * Page, Gfp.Kernel, node: 0);

        var released = driver.Vfree(step.Area!.Address);

        Assert.Equal(VfreeStatus.Freed, released.Status);
        Assert.Equal(step.Pages, released.Pages.Select(p => p.Pfn));
        Assert.Equal(5, released.FlushVpns.Length);
        Assert.Equal(pages.PagesTaken - step.Tables.Count, pages.PagesReturned);
        Assert.All(step.Tables, pfn => Assert.Equal(1, FakePageSource.NodeOf(pfn)));
    }

    [Fact]
    public void One_call_at_a_time_and_no_answer_without_a_question()
    {
        var procedure = new VmallocNodeRange(NewArea());
        Assert.Throws<InvalidOperationException>(() => procedure.Resume(1, 0));
        procedure.Begin(Page, Gfp.Kernel, -1, 0, "f", "c");
        Assert.Throws<InvalidOperationException>(() => procedure.Begin(Page, Gfp.Kernel, -1, 0, "f", "c"));
    }
}

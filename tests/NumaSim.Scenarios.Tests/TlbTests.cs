namespace NumaSim.Scenarios.Tests;

/// <summary>
/// The TLB: a hit costs a lookup and no walk; a miss walks the page table, one memory access per level, priced by
/// the distance to each table page; an munmap of a task that ran on several CPUs shoots the entry down on each of
/// them by IPI. Config: numasim.tlb, numasim.latency.tlb-hit and ipi; outputs: summary.json tlb, mmu.shootdowns,
/// mmu.ipis, latency_ns.walk and shootdown.
/// </summary>
public sealed class TlbTests : NumaSimTestKit
{
    [Fact]
    public async Task A_second_pass_over_pages_the_tlb_holds_hits_every_time()
    {
        var run = await RunAsync(Machines.TwoNodes().WithTasks("0", "256K", accesses: 128));

        Assert.Equal(64, run.Tlb.Misses);
        Assert.Equal(64, run.Tlb.Hits);
    }

    [Fact]
    public async Task A_working_set_larger_than_the_tlb_misses_and_walks_four_local_levels()
    {
        // 64 entries, 4 ways; 1024 pages touched twice in order: the second pass finds none of them.
        var run = await RunAsync(Machines.TwoNodes()
            .WithTasks("0", "4M", accesses: 2048)
            .With("tlb { entries = 64, ways = 4 }"));

        Assert.Equal(2048, run.Tlb.Misses);
        Assert.Equal(0, run.Tlb.Hits);
        // The second pass: lookup 1 + 4 table levels x 90 ns (all tables on node 0) + the access 90.
        Assert.Equal(451, run.Latency("walk").P50);
    }

    [Fact]
    public async Task Munmap_after_a_migration_sends_an_ipi_to_the_cpu_the_task_left_at_the_distance_between_them()
    {
        var ipis = Listen<IpiReceived>();
        var run = await RunAsync(Machines.TwoNodes()
            .WithTasks("0-1", "1M", accesses: 2000, pattern: "random", migrateEvery: 300, munmapEvery: 700, chunk: "256K"));

        Assert.True(run.Mmu.Shootdowns > 0);
        Assert.True(run.Mmu.Migrations > 0);
        var ipi = ipis.ExpectMsg<IpiReceived>();
        Assert.NotEqual(ipi.FromCpu, ipi.Cpu);
        Assert.Equal(20, ipi.Distance);
        Assert.Equal(run.Mmu.Ipis, 1 + ReceiveAll(ipis).Count);
    }

    private static List<IpiReceived> ReceiveAll(Akka.TestKit.TestProbe probe)
    {
        var all = new List<IpiReceived>();
        while (probe.HasMessages)
        {
            all.Add(probe.ExpectMsg<IpiReceived>());
        }
        return all;
    }
}

using NumaSim.Actors.Coordination;
using NumaSim.Model.Snapshots;
using NumaSim.Telemetry.Metrics;
using NumaSim.Telemetry.Tests.Support;

namespace NumaSim.Telemetry.Tests;

[Collection(TelemetryCollection.Name)]
public sealed class MetricsTests
{
    private static MetricsSnapshot SnapshotOf(SimulationResult r) => MetricsSnapshot.From(r.Machine, r.Summary, r.Cpus, r.Latency) with
    {
        AllocationsByClass = r.AllocationsByClass,
        AccessLatency = MetricsSnapshot.ByNodePair(r.LatencyByNodePair),
    };

    [Fact]
    public async Task The_numastat_counters_per_node_equal_the_runs_numastat()
    {
        var result = await SimulationRunner.RunAsync(TestScenarios.CrossNode());
        SimMetrics.Publish(SnapshotOf(result));

        var metrics = MetricCapture.Collect();

        foreach (var node in result.Machine.Nodes)
        {
            var numa = node.Numa;
            (string, object) at = (SimMetrics.NodeAttribute, node.Node);
            Assert.Equal(numa.Hit, metrics.Value("numasim.numa_hit", at));
            Assert.Equal(numa.Miss, metrics.Value("numasim.numa_miss", at));
            Assert.Equal(numa.Foreign, metrics.Value("numasim.numa_foreign", at));
            Assert.Equal(numa.InterleaveHit, metrics.Value("numasim.interleave_hit", at));
            Assert.Equal(numa.Local, metrics.Value("numasim.local_node", at));
            Assert.Equal(numa.Other, metrics.Value("numasim.other_node", at));
        }
        Assert.True(result.Machine.Nodes.All(n => n.Numa.Hit > 0));
    }

    [Fact]
    public async Task TLB_faults_free_blocks_and_allocations_are_reported_per_cpu_and_zone()
    {
        var result = await SimulationRunner.RunAsync(TestScenarios.CrossNode());
        SimMetrics.Publish(SnapshotOf(result));

        var metrics = MetricCapture.Collect();

        Assert.Equal(result.Summary.Tlb.Hits, result.Cpus.Sum(c => metrics.Value("numasim.tlb.hits", (SimMetrics.CpuAttribute, c.Cpu))));
        Assert.Equal(result.Summary.Tlb.Misses, result.Cpus.Sum(c => metrics.Value("numasim.tlb.misses", (SimMetrics.CpuAttribute, c.Cpu))));
        Assert.Equal(result.Summary.Mmu.Faults, result.Cpus.Sum(c => metrics.Value("numasim.page_faults", (SimMetrics.CpuAttribute, c.Cpu))));
        foreach (var zone in result.Machine.Zones)
        {
            (string, object) node = (SimMetrics.NodeAttribute, zone.Node);
            (string, object) type = (SimMetrics.ZoneAttribute, zone.Type.ToString());
            Assert.Equal(zone.FreePages, metrics.Value("numasim.zone.free_pages", node, type));
            Assert.Equal(zone.Numa.Hit + zone.Numa.Miss, metrics.Value("numasim.page.allocations", node, type));
            for (var order = 0; order < zone.FreeBlocks[0].Length; order++)
            {
                Assert.Equal(zone.FreeBlocksAtOrder(order), metrics.Value("numasim.zone.free_blocks", node, type, (SimMetrics.OrderAttribute, order)));
            }
        }
        Assert.Equal(result.Summary.Operations, metrics.Value("numasim.operations"));
    }

    [Fact]
    public async Task Allocations_and_failures_by_order_and_gfp_class_add_up_to_the_runs()
    {
        var scenario = TestScenarios.Load(TestScenarios.CrossNodeText.Replace(
            """mix = [ { weight = 1, order = 0, gfp = "GFP_KERNEL", lifetime = 30us } ]""",
            """mix = [ { weight = 3, order = 0, gfp = "GFP_KERNEL", lifetime = 30us }, { weight = 1, order = 9, gfp = "GFP_KERNEL|__GFP_RECLAIMABLE", lifetime = forever } ]""",
            StringComparison.Ordinal));
        var result = await SimulationRunner.RunAsync(scenario);
        SimMetrics.Publish(SnapshotOf(result));

        var metrics = MetricCapture.Collect();

        (string, object) order0 = (SimMetrics.OrderAttribute, 0);
        (string, object) order9 = (SimMetrics.OrderAttribute, 9);
        (string, object) unmovable = (SimMetrics.GfpClassAttribute, "unmovable");
        (string, object) reclaimable = (SimMetrics.GfpClassAttribute, "reclaimable");
        var served0 = metrics.Value("numasim.page.allocations_by_class", order0, unmovable);
        var served9 = metrics.Value("numasim.page.allocations_by_class", order9, reclaimable);
        var failed9 = metrics.Value("numasim.page.allocation_failures_by_class", order9, reclaimable);
        Assert.Equal(result.Summary.Allocations.Served, served0 + served9);
        Assert.Equal(result.Summary.Allocations.Failed, metrics.Value("numasim.page.allocation_failures_by_class", order0, unmovable) + failed9);
        // 512 MiB cannot hold ~500 order-9 blocks forever: some fail.
        Assert.True(served9 > 0 && failed9 > 0, $"order 9: {served9} served, {failed9} failed");
    }

    [Fact]
    public async Task Live_views_between_rounds_grow_towards_the_final_numastat()
    {
        var live = new List<MetricsSnapshot>();
        var result = await SimulationRunner.RunAsync(
            TestScenarios.CrossNode(), observers: new RunObservers { Live = r => live.Add(SnapshotOf(r)), LiveInterval = TimeSpan.Zero });

        Assert.True(live.Count > 10, $"{live.Count} live views");
        var final = SnapshotOf(result);
        for (var i = 1; i < live.Count; i++)
        {
            Assert.True(live[i].Operations >= live[i - 1].Operations);
            Assert.All(live[i].Numastat.Zip(live[i - 1].Numastat), p => Assert.True(p.First.Numa.Hit >= p.Second.Numa.Hit));
        }
        Assert.True(live[0].Operations < final.Operations);
        Assert.All(live[^1].Numastat.Zip(final.Numastat), p => Assert.True(p.First.Numa.Hit <= p.Second.Numa.Hit));
    }

    [Fact]
    public async Task Observing_a_run_between_rounds_does_not_change_it()
    {
        var plain = await SimulationRunner.RunAsync(TestScenarios.CrossNode());
        var observed = await SimulationRunner.RunAsync(
            TestScenarios.CrossNode(), observers: new RunObservers { Live = _ => { }, LiveInterval = TimeSpan.Zero, Sample = _ => { } });

        Assert.Equal(plain.Summary.Operations, observed.Summary.Operations);
        Assert.Equal(plain.Summary.SimulatedNs, observed.Summary.SimulatedNs);
        Assert.Equal(plain.Summary.Clock.Rounds, observed.Summary.Clock.Rounds);
        Assert.Equal(plain.Machine.Nodes.Select(n => n.Numa), observed.Machine.Nodes.Select(n => n.Numa));
        Assert.Equal(plain.Traffic.Select(r => r.ToArray()), observed.Traffic.Select(r => r.ToArray()));
    }

    [Fact]
    public async Task Samples_fall_at_the_same_simulated_times_for_the_same_seed()
    {
        async Task<List<long>> Times()
        {
            var times = new List<long>();
            await SimulationRunner.RunAsync(TestScenarios.CrossNode(), observers: new RunObservers { Sample = p => times.Add(p.SimulatedNs) });
            return times;
        }

        var first = await Times();
        Assert.True(first.Count >= 8, $"{first.Count} samples");
        Assert.Equal(first, await Times());
        Assert.Equal(first.Order(), first);
    }

    [Fact]
    public async Task Latency_buckets_count_and_sum_equal_the_runs_exact_distributions()
    {
        var result = await SimulationRunner.RunAsync(TestScenarios.CrossNode());
        SimMetrics.Publish(SnapshotOf(result));

        var metrics = MetricCapture.Collect();

        Assert.NotEmpty(result.Summary.LatencyNs);
        foreach (var (kind, stats) in result.Summary.LatencyNs)
        {
            (string, object) at = (SimMetrics.KindAttribute, kind);
            Assert.Equal(stats.Count, metrics.Value("numasim.latency.count", at));
            Assert.Equal(stats.Count, metrics.Value("numasim.latency.bucket", at, ("le", "+Inf")));
            Assert.Equal(result.Latency[kind].Sum(d => d.Ns * d.Count), metrics.Value("numasim.latency.sum", at));
            var buckets = SimMetrics.LatencyBuckets.Select(le => metrics.Value("numasim.latency.bucket", at, ("le", le))).ToList();
            Assert.Equal(buckets.Order(), buckets);
            // The median lies in the first bucket that holds half the operations.
            var median = SimMetrics.LatencyBuckets.Zip(buckets).FirstOrDefault(b => b.Second * 2 >= stats.Count).First;
            Assert.True(median == 0 || stats.P50 <= median);
        }
    }

    [Fact]
    public async Task Access_latency_by_node_pair_splits_the_runs_accesses_and_a_remote_pair_costs_more()
    {
        var plain = await SimulationRunner.RunAsync(TestScenarios.CrossNode());
        var result = await SimulationRunner.RunAsync(TestScenarios.CrossNode(), observers: new RunObservers { LatencyByNodePair = true });
        SimMetrics.Publish(SnapshotOf(result));

        var metrics = MetricCapture.Collect();

        // Kept only when asked for, and keeping it changes nothing else.
        Assert.Empty(plain.LatencyByNodePair);
        Assert.Equal(plain.Summary.LatencyNs, result.Summary.LatencyNs);
        long Count(string kind, int src, int dst) =>
            metrics.Value("numasim.access_latency.count", (SimMetrics.KindAttribute, kind), (SimMetrics.SrcNodeAttribute, src), (SimMetrics.DstNodeAttribute, dst));
        long Sum(string kind, int src, int dst) =>
            metrics.Value("numasim.access_latency.sum", (SimMetrics.KindAttribute, kind), (SimMetrics.SrcNodeAttribute, src), (SimMetrics.DstNodeAttribute, dst));
        // Every TLB hit of the run is one of the pairs', local hits on the diagonal.
        var hits = new[] { (0, 0), (0, 1), (1, 0), (1, 1) }.Sum(p => result.LatencyByNodePair.TryGetValue($"tlb_hit|{p.Item1}|{p.Item2}", out var d) ? d.Sum(x => x.Count) : 0);
        Assert.Equal(result.Summary.Tlb.Hits, hits);
        Assert.Equal(result.Summary.LatencyNs["tlb_hit_local"].Count, Count("tlb_hit", 0, 0) + Count("tlb_hit", 1, 1));
        // CPU 0's interleaved task hits pages on node 1 too, at the remote DRAM price.
        Assert.True(Count("tlb_hit", 0, 1) > 0);
        Assert.True((double)Sum("tlb_hit", 0, 1) / Count("tlb_hit", 0, 1) > (double)Sum("tlb_hit", 0, 0) / Count("tlb_hit", 0, 0));
        Assert.Equal(Count("tlb_hit", 0, 1), metrics.Value("numasim.access_latency.bucket",
            (SimMetrics.KindAttribute, "tlb_hit"), (SimMetrics.SrcNodeAttribute, 0), (SimMetrics.DstNodeAttribute, 1), ("le", "+Inf")));
    }

    [Fact]
    public async Task Traffic_counts_every_access_and_allocation_by_the_cpus_node_and_the_pages_node()
    {
        var result = await SimulationRunner.RunAsync(TestScenarios.CrossNode());

        // CPU 0's interleaved task reaches node 1; CPU 1's interleaved stream allocates on node 0.
        Assert.True(result.Traffic[0][1] > 0);
        Assert.True(result.Traffic[0][0] > 0);
        Assert.True(result.Traffic[1][0] > 0);
        Assert.Equal(result.Summary.Tlb.Hits + result.Summary.Tlb.Misses + result.Summary.Allocations.Served, result.Traffic.Sum(row => row.Sum()));
    }

    [Fact]
    public async Task Numa_balancing_and_migration_are_reported_by_vmstat_name()
    {
        var scenario = TestScenarios.Load("""
            numasim {
              topology {
                nodes = [ { id = 0, cpus = "0", memory = 64M }, { id = 1, cpus = "1", memory = 64M } ]
                distance = [[10, 21], [21, 10]]
              }
              sysctl.numa-balancing = 1
              workload.tasks = [ { cpus = "0", steps = [ { touch = 4M }, { move-to = 1 }, { access = 2500ms, think-time = 50us } ] } ]
            }
            """);
        var result = await SimulationRunner.RunAsync(scenario);
        SimMetrics.Publish(SnapshotOf(result));

        var metrics = MetricCapture.Collect();

        // The task's 1,024 pages followed it to node 1, and the instrument says so as /proc/vmstat does.
        Assert.Equal(1024, result.Machine.VmEvents[Model.Stats.VmEventItem.NumaPagesMigrated]);
        foreach (var (name, item) in MetricsSnapshot.MigrationEvents)
        {
            Assert.Equal(result.Machine.VmEvents[item], metrics.Value("numasim.vmstat.migration", (SimMetrics.VmstatItemAttribute, name)));
        }
    }

    [Fact]
    public async Task Promotions_are_reported_by_vmstat_name_summed_over_the_nodes()
    {
        var scenario = TestScenarios.Load($$"""
            numasim {
              seed = 1
              {{TieredMachine.Topology("64M", "64M")}}
              sysctl.numa-balancing = 2
              workload.tasks = [ { cpus = "0", steps = [ { touch = 1M }, { migrate-to = "1" }, { access = 2500ms, think-time = 50us } ] } ]
            }
            """);
        var result = await SimulationRunner.RunAsync(scenario);
        SimMetrics.Publish(SnapshotOf(result));

        var metrics = MetricCapture.Collect();

        // The 256 pages moved to node 1 came back to node 0, each a candidate within the rate limit.
        Assert.Equal(256, result.Machine.Nodes[0].Stat(Model.Stats.NodeStatItem.PgpromoteSuccess));
        foreach (var (name, item) in MetricsSnapshot.PromotionItems)
        {
            Assert.Equal(result.Machine.Nodes.Sum(n => n.Stat(item)), metrics.Value("numasim.vmstat.migration", (SimMetrics.VmstatItemAttribute, name)));
        }
        Assert.Equal(256, metrics.Value("numasim.vmstat.migration", (SimMetrics.VmstatItemAttribute, "pgpromote_candidate")));
    }

    [Fact]
    public async Task Page_cache_lru_and_reclaim_are_reported_per_node_and_by_vmstat_name()
    {
        var scenario = TestScenarios.Load("""
            numasim {
              topology {
                nodes = [ { id = 0, cpus = "0", memory = 128M }, { id = 1, cpus = "1", memory = 128M } ]
                distance = [[10, 21], [21, 10]]
              }
              workload.tasks = [ { cpus = "0", steps = [ { read-file = 300M, file = "log" }, { touch = 16M } ] } ]
            }
            """);
        var result = await SimulationRunner.RunAsync(scenario);
        SimMetrics.Publish(SnapshotOf(result));

        var metrics = MetricCapture.Collect();

        // A read of more than the machine holds: kswapd reclaimed, and the instruments say so as /proc/vmstat does.
        Assert.True(result.Machine.VmEvents[Model.Stats.VmEventItem.PgstealKswapd] > 0);
        Assert.Equal(result.Machine.VmEvents[Model.Stats.VmEventItem.PgstealKswapd], metrics.Value("numasim.vmstat.pressure", (SimMetrics.VmstatItemAttribute, "pgsteal_kswapd")));
        Assert.Equal(result.Machine.VmEvents[Model.Stats.VmEventItem.Pageoutrun], metrics.Value("numasim.vmstat.pressure", (SimMetrics.VmstatItemAttribute, "pageoutrun")));
        foreach (var node in result.Machine.Nodes)
        {
            (string, object) at = (SimMetrics.NodeAttribute, node.Node);
            var stats = node.NodeStats;
            Assert.Equal(stats[Model.Stats.NodeStatItem.NrFilePages], metrics.Value("numasim.node.file_pages", at));
            Assert.Equal(stats[Model.Stats.NodeStatItem.NrAnonPages], metrics.Value("numasim.node.anon_pages", at));
            Assert.Equal(stats[Model.Stats.NodeStatItem.NrInactiveFile], metrics.Value("numasim.node.lru_pages", at, (SimMetrics.LruAttribute, "inactive_file")));
            Assert.True(stats[Model.Stats.NodeStatItem.NrFilePages] > 0);
        }
    }
}

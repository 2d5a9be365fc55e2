using System.Diagnostics;
using NumaSim.Model.PageAlloc;
using NumaSim.Telemetry.Tests.Support;
using NumaSim.Telemetry.Tracing;
using OpenTelemetry.Trace;
using static NumaSim.Telemetry.Tests.Support.SpanCapture;

namespace NumaSim.Telemetry.Tests;

[Collection(TelemetryCollection.Name)]
public sealed class TracingTests
{
    private static readonly LatencyModel Latency = TestScenarios.CrossNode().Latency;
    private static readonly string FaultGfp = GfpFlags.Format(Gfp.HighUserMovable | Gfp.Zero);

    [Fact]
    public async Task A_remote_allocation_has_a_child_span_where_the_other_nodes_zone_serves_it()
    {
        var run = await RunAsync(TestScenarios.CrossNode(), new AlwaysOnSampler());

        var allocs = run.Named(SpanNames.RemoteAlloc).ToList();
        Assert.NotEmpty(allocs);
        Assert.Contains(allocs, a => Long(a, SpanAttributeNames.Cpu) == 0);
        Assert.Contains(allocs, a => Long(a, SpanAttributeNames.Cpu) == 1);
        foreach (var alloc in allocs)
        {
            // CPU n is node n's only CPU; CPU 1's stream asks with GFP_KERNEL, CPU 0's faults with GFP_HIGHUSER_MOVABLE.
            var cpu = Long(alloc, SpanAttributeNames.Cpu);
            Assert.Equal(cpu, Long(alloc, SpanAttributeNames.SrcNode));
            Assert.Equal(1 - cpu, Long(alloc, SpanAttributeNames.DstNode));
            Assert.Equal(21, Long(alloc, SpanAttributeNames.Distance));
            Assert.Equal(0, Long(alloc, SpanAttributeNames.Order));
            Assert.Equal(cpu == 1 ? "GFP_KERNEL" : FaultGfp, alloc.GetTagItem(SpanAttributeNames.Gfp));
            Assert.True(Long(alloc, SpanAttributeNames.LatencyNs) > 2 * Latency.ZoneMessage(21));

            var serve = Assert.Single(run.ChildrenOf(alloc));
            Assert.Equal(SpanNames.ZoneServe, serve.DisplayName);
            Assert.Equal(1 - cpu, Long(serve, SpanAttributeNames.DstNode));
            Assert.Equal(cpu, Long(serve, SpanAttributeNames.Cpu));
            Assert.Equal(Long(alloc, SpanAttributeNames.Pfn), Long(serve, SpanAttributeNames.Pfn));
            // The request travels ZoneMessage(21) simulated ns before the zone serves it.
            AssertTicks(Latency.ZoneMessage(21), serve.StartTimeUtc - alloc.StartTimeUtc);
            Assert.True(serve.StartTimeUtc + serve.Duration <= alloc.StartTimeUtc + alloc.Duration);
        }
    }

    [Fact]
    public async Task Spans_sit_on_the_simulated_time_line_with_simulated_latency_as_duration()
    {
        var run = await RunAsync(TestScenarios.CrossNode(), new AlwaysOnSampler());

        Assert.NotEmpty(run.Spans);
        var simulated = TimeSpan.FromTicks(run.Result.Summary.SimulatedNs / 100 + 1);
        foreach (var span in run.Spans)
        {
            // Simulated time 0 is the run's start, somewhere between Before and After on the wall clock.
            Assert.InRange(span.StartTimeUtc, run.Before, run.After + simulated);
            AssertTicks(Math.Max(100, Long(span, SpanAttributeNames.LatencyNs)), span.Duration);
        }
        // Spans of one run are spread over its simulated time, not over the (much longer) wall time.
        var first = run.Spans.Min(s => s.StartTimeUtc);
        var last = run.Spans.Max(s => s.StartTimeUtc + s.Duration);
        Assert.True(last - first <= simulated, $"spans cover {last - first}, the run simulated {simulated}");
    }

    [Fact]
    public async Task A_shootdown_to_another_node_has_one_child_per_IPI_on_the_flushed_CPU()
    {
        var run = await RunAsync(TestScenarios.CrossNode(), new AlwaysOnSampler());

        var shootdowns = run.Named(SpanNames.Shootdown).ToList();
        Assert.NotEmpty(shootdowns);
        foreach (var shootdown in shootdowns)
        {
            var ipi = Assert.Single(run.ChildrenOf(shootdown));
            Assert.Equal(SpanNames.ShootdownIpi, ipi.DisplayName);
            Assert.Equal(Long(shootdown, SpanAttributeNames.SrcNode), Long(ipi, SpanAttributeNames.SrcNode));
            Assert.NotEqual(Long(ipi, SpanAttributeNames.SrcNode), Long(ipi, SpanAttributeNames.DstNode));
            Assert.Equal(Long(ipi, SpanAttributeNames.DstNode), Long(ipi, SpanAttributeNames.Cpu));
            AssertTicks(Latency.Ipi(21), ipi.StartTimeUtc - shootdown.StartTimeUtc);
            // The initiator waits for the acknowledgement: the IPI's round trip at least.
            Assert.True(Long(shootdown, SpanAttributeNames.LatencyNs) >= 2 * Latency.Ipi(21));
        }
    }

    [Fact]
    public async Task The_kernels_slab_pages_from_another_node_and_vfree_flushes_are_traced_like_the_CPUs_operations()
    {
        var run = await RunAsync(TestScenarios.KernelCrossNode(), new AlwaysOnSampler());

        var pages = run.Named(SpanNames.RemoteAlloc).ToList();
        Assert.NotEmpty(pages);
        foreach (var page in pages)
        {
            Assert.Equal(0, Long(page, SpanAttributeNames.SrcNode));
            Assert.Equal(1, Long(page, SpanAttributeNames.DstNode));
            // The slab allocator's own flags (a higher-order try is GFP_NOWAIT|__GFP_NORETRY|...), not the kmalloc's.
            Assert.False(string.IsNullOrEmpty(page.GetTagItem(SpanAttributeNames.Gfp) as string));
            var serve = Assert.Single(run.ChildrenOf(page));
            Assert.Equal(SpanNames.ZoneServe, serve.DisplayName);
            Assert.Equal(Long(page, SpanAttributeNames.Pfn), Long(serve, SpanAttributeNames.Pfn));
            AssertTicks(Latency.ZoneMessage(21), serve.StartTimeUtc - page.StartTimeUtc);
        }

        var flushes = run.Named(SpanNames.Shootdown).ToList();
        Assert.NotEmpty(flushes);
        foreach (var flush in flushes)
        {
            Assert.Equal(1, Long(flush, SpanAttributeNames.DstNode));
            // flush_tlb_kernel_range reaches every CPU: this one's own TLB and the other node's.
            var ipis = run.ChildrenOf(flush).ToList();
            Assert.Equal([0L, 1L], ipis.Select(i => Long(i, SpanAttributeNames.Cpu)).Order().ToArray());
            var far = Assert.Single(ipis, i => Long(i, SpanAttributeNames.Cpu) == 1);
            AssertTicks(Latency.Ipi(21), far.StartTimeUtc - flush.StartTimeUtc);
            Assert.True(Long(flush, SpanAttributeNames.LatencyNs) >= 2 * Latency.Ipi(21));
        }
    }

    [Fact]
    public async Task Faults_and_remote_accesses_carry_the_page_and_the_node_pair()
    {
        var run = await RunAsync(TestScenarios.CrossNode(), new AlwaysOnSampler());

        var faults = run.Named(SpanNames.Fault).ToList();
        Assert.Equal(run.Result.Summary.Mmu.Faults, faults.Count);
        Assert.Contains(faults, f => Long(f, SpanAttributeNames.SrcNode) != Long(f, SpanAttributeNames.DstNode));
        Assert.All(faults, f =>
        {
            Assert.True(Long(f, SpanAttributeNames.Pfn) >= 0);
            Assert.Equal(0, Long(f, SpanAttributeNames.Order));
            Assert.Equal(FaultGfp, f.GetTagItem(SpanAttributeNames.Gfp));
        });
        var remote = run.Named(SpanNames.RemoteAccess).ToList();
        Assert.NotEmpty(remote);
        Assert.All(remote, a =>
        {
            Assert.NotEqual(Long(a, SpanAttributeNames.SrcNode), Long(a, SpanAttributeNames.DstNode));
            Assert.Equal(21, Long(a, SpanAttributeNames.Distance));
            Assert.True(Long(a, SpanAttributeNames.LatencyNs) >= Latency.Dram(21));
        });
    }

    [Fact]
    public async Task Sampling_is_parent_based_so_every_served_span_has_its_sampled_parent()
    {
        var run = await RunAsync(TestScenarios.CrossNode(), new ParentBasedSampler(new TraceIdRatioBasedSampler(0.3)));

        var roots = run.Spans.Where(s => s.ParentSpanId == default).ToList();
        var children = run.Spans.Where(s => s.ParentSpanId != default).ToList();
        Assert.NotEmpty(children);
        var ids = roots.Select(r => r.SpanId).ToHashSet();
        Assert.All(children, c => Assert.Contains(c.ParentSpanId, ids));
        // About 30 % of the faults are traced: far from none and from all.
        Assert.InRange(run.Named(SpanNames.Fault).Count(), run.Result.Summary.Mmu.Faults / 10, run.Result.Summary.Mmu.Faults * 6 / 10);
    }

    [Fact]
    public async Task The_cheap_root_draw_keeps_sampling_parent_based()
    {
        // As TelemetryHost sets it up: roots drawn at the ratio here, ParentBased(AlwaysOn) in the SDK.
        SimSpans.RootRatio = 0.3;
        try
        {
            var run = await RunAsync(TestScenarios.CrossNode(), new ParentBasedSampler(new AlwaysOnSampler()));

            var roots = run.Spans.Where(s => s.ParentSpanId == default).Select(r => r.SpanId).ToHashSet();
            var children = run.Spans.Where(s => s.ParentSpanId != default).ToList();
            Assert.NotEmpty(children);
            Assert.All(children, c => Assert.Contains(c.ParentSpanId, roots));
            Assert.InRange(run.Named(SpanNames.Fault).Count(), run.Result.Summary.Mmu.Faults / 10, run.Result.Summary.Mmu.Faults * 6 / 10);
        }
        finally
        {
            SimSpans.RootRatio = 1;
        }
    }

    [Fact]
    public async Task A_ratio_of_zero_starts_no_span_at_all()
    {
        var run = await RunAsync(TestScenarios.CrossNode(), new ParentBasedSampler(new TraceIdRatioBasedSampler(0)));

        Assert.Empty(run.Spans);
        Assert.True(run.Result.Summary.Complete);
    }

    [Fact]
    public async Task Tracing_does_not_change_the_simulation()
    {
        var plain = await NumaSim.Actors.Coordination.SimulationRunner.RunAsync(TestScenarios.CrossNode());
        var traced = await RunAsync(TestScenarios.CrossNode(), new AlwaysOnSampler());

        Assert.Equal(plain.Summary.Operations, traced.Result.Summary.Operations);
        Assert.Equal(plain.Summary.SimulatedNs, traced.Result.Summary.SimulatedNs);
        Assert.Equal(plain.Machine.Nodes.Select(n => n.Numa), traced.Result.Machine.Nodes.Select(n => n.Numa));
    }

    [Fact]
    public async Task Migrate_pages_makes_each_folio_moved_an_mm_migrate_span_from_node_0_to_node_1()
    {
        var run = await RunAsync(TestScenarios.Load("""
            numasim {
              seed = 1
              topology {
                nodes = [ { id = 0, cpus = "0", memory = 64M }, { id = 1, cpus = "1", memory = 64M } ]
                distance = [[10, 21], [21, 10]]
              }
              workload.tasks = [ { cpus = "0", steps = [ { touch = 1M }, { migrate-to = "1" } ] } ]
            }
            """), new AlwaysOnSampler());

        var migrations = run.Named(SpanNames.Migrate).ToList();
        Assert.Equal(256, migrations.Count);
        Assert.Equal(256, migrations.Select(m => Long(m, SpanAttributeNames.Pfn)).Distinct().Count());
        foreach (var migration in migrations)
        {
            Assert.Equal((0L, 0L, 1L, 21L, 0L), (Long(migration, SpanAttributeNames.Cpu), Long(migration, SpanAttributeNames.SrcNode),
                Long(migration, SpanAttributeNames.DstNode), Long(migration, SpanAttributeNames.Distance), Long(migration, SpanAttributeNames.Order)));
            // The copy alone across SLIT 21 is 2.1 x migrate-copy.
            Assert.True(Long(migration, SpanAttributeNames.LatencyNs) >= Latency.MigrateCopyNs * 21 / 10);
        }
    }

    [Fact]
    public async Task Memory_tiering_makes_each_page_promoted_from_the_memory_only_node_an_mm_promote_span()
    {
        // The task's 256 pages go to memory-only node 1 (a lower tier), then its reads from CPU 0 promote them back.
        var run = await RunAsync(TestScenarios.Load($$"""
            numasim {
              seed = 1
              {{TieredMachine.Topology("64M", "64M")}}
              sysctl.numa-balancing = 2
              workload.tasks = [ { cpus = "0", steps = [ { touch = 1M }, { migrate-to = "1" }, { access = 2500ms, think-time = 50us } ] } ]
            }
            """), new AlwaysOnSampler());

        var promotions = run.Named(SpanNames.Promote).ToList();
        Assert.Equal(256, promotions.Count);
        Assert.Equal(256, run.Named(SpanNames.Migrate).Count());
        foreach (var promotion in promotions)
        {
            Assert.Equal((0L, 1L, 0L, 24L), (Long(promotion, SpanAttributeNames.Cpu), Long(promotion, SpanAttributeNames.SrcNode),
                Long(promotion, SpanAttributeNames.DstNode), Long(promotion, SpanAttributeNames.Distance)));
        }
    }

    [Fact]
    public async Task Reclaim_with_demotion_makes_each_page_demoted_to_the_memory_only_node_an_mm_demote_span()
    {
        // A task bound to node 0 touches more than node 0 holds; reclaim demotes the overflow to memory-only node 1.
        var run = await RunAsync(TestScenarios.Load($$"""
            numasim {
              seed = 1
              {{TieredMachine.Topology("64M", "128M")}}
              sysctl.demotion-enabled = on
              workload.tasks = [ { cpus = "0", steps = [ { policy = "bind:0" }, { touch = 96M } ] } ]
            }
            """), new AlwaysOnSampler());

        var demotions = run.Named(SpanNames.Demote).ToList();
        Assert.InRange(demotions.Count, 32 * 256 / 2, 96 * 256);
        Assert.Empty(run.Named(SpanNames.Migrate));
        foreach (var demotion in demotions)
        {
            Assert.Equal((0L, 1L, 24L), (Long(demotion, SpanAttributeNames.SrcNode), Long(demotion, SpanAttributeNames.DstNode), Long(demotion, SpanAttributeNames.Distance)));
        }
    }

    [Fact]
    public void A_traceparent_carried_in_a_message_makes_the_served_span_a_child()
    {
        var spans = new List<Activity>();
        using var tracer = OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddSource(NumaSimTelemetry.Name)
            .SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(spans).Build();
        var epoch = new SimEpoch(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var root = SimSpans.StartRoot("root", epoch, 1_000)!;
        var traceparent = SimSpans.Traceparent(root);
        var child = SimSpans.StartChild("child", traceparent, epoch, 1_350)!;
        SimSpans.End(child, epoch, 1_350, 1_400);
        SimSpans.End(root, epoch, 1_000, 2_000);

        Assert.Null(Activity.Current);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", traceparent);
        Assert.Equal(root.TraceId, child.TraceId);
        Assert.Equal(root.SpanId, child.ParentSpanId);
        Assert.Equal(epoch.StartUtc.AddTicks(10), root.StartTimeUtc);
        Assert.Equal(TimeSpan.FromTicks(10), root.Duration);
        Assert.Equal(epoch.StartUtc.AddTicks(13), child.StartTimeUtc);
        Assert.Equal(TimeSpan.FromTicks(1), child.Duration);
        Assert.Equal(50L, child.GetTagItem(SpanAttributeNames.LatencyNs));
        Assert.Null(SimSpans.StartChild("orphan", null, epoch, 0));
    }

    /// <summary>Wall time has 100 ns ticks: a simulated span lands within one tick of its exact place.</summary>
    private static void AssertTicks(long expectedNs, TimeSpan actual) =>
        Assert.InRange(actual.Ticks, expectedNs / 100 - 1, expectedNs / 100 + 1);
}

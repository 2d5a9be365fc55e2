using Xunit;
using NumaSim.Model.Sim;

namespace NumaSim.Model.Tests.Sim;

public sealed class HorizonPlannerTests
{
    // Components 0 and 1 are zones; 100 and 101 are CPUs.
    private static HorizonPlanner Planner(long cpuToCpu = long.MaxValue, long quantum = 0) =>
        new([0, 1, 100, 101], id => id >= 100, cpuToZone: 100, zoneToCpu: 100, cpuToCpu, quantum);

    // Zone 0, CPUs 100 and 101, and service 500 (a kswapd or the swap area), which asks a CPU over a 20 us link.
    private static HorizonPlanner SwapService() =>
        new([0, 100, 101, 500], id => id is >= 100 and < 500, cpuToZone: 100, zoneToCpu: 100, long.MaxValue, 0,
            isService: id => id == 500, serviceLink: 100, serviceToCpu: 20_000);

    [Fact]
    public void Cpus_that_cannot_reach_each_other_run_freely_while_zones_wait_for_the_earliest_cpu()
    {
        var p = Planner();
        p.Ran(0, 5_000, true, false);
        p.Ran(1, long.MaxValue, true, false);
        p.Ran(100, 1_000, false, false);
        p.Ran(101, 3_000, false, false);
        var plan = p.Plan();
        Assert.Equal(long.MaxValue, plan[100]);
        Assert.Equal(long.MaxValue, plan[101]);
        Assert.False(plan.ContainsKey(0), "the zone's event at 5000 is beyond what the CPU at 1000 could still send (1100)");
        Assert.Equal((1L, 2L), (p.Rounds, p.Windows));
    }

    [Fact]
    public void A_waiting_cpu_runs_only_until_the_earliest_possible_answer()
    {
        var p = Planner();
        p.Ran(0, 2_000, true, false);
        p.Ran(1, long.MaxValue, true, false);
        p.Ran(100, 1_500, false, blocked: true);
        p.Ran(101, 9_000, false, false);
        var plan = p.Plan();
        Assert.Equal(2_100, plan[100]);
        Assert.False(plan.ContainsKey(0), "an answer the CPU already holds at 1500 could make it send to the zone by 1600");

        // Once what it holds has been set aside, the zone may run until the waiting CPU could send
        // again: after the answer (2100) plus the trip (100).
        p.Ran(100, long.MaxValue, false, blocked: true);
        Assert.Equal(2_200, p.Plan()[0]);
    }

    [Fact]
    public void A_cpu_waiting_for_one_zone_is_bounded_by_that_zone_alone()
    {
        var p = Planner();
        p.Ran(0, 2_000, true, false);
        p.Ran(1, 5_000, true, false);
        // CPU 100 asked zone 1 (its request is zone 1's event at 5000); CPU 101 waits for an answer from anyone.
        p.Ran(100, 4_000, false, blocked: true, awaited: 1);
        p.Ran(101, 4_000, false, blocked: true);
        var plan = p.Plan();
        Assert.Equal(5_100, plan[100]);
        Assert.False(plan.ContainsKey(101), "zone 0's event at 2000 may still answer CPU 101 by 2100");

        // Zone 1 served the request and has nothing more: the answer is among the CPU's own events, and nothing else
        // can come from a zone, so the CPU runs on past it.
        p.Ran(1, long.MaxValue, true, false);
        p.Sent(100, 5_300);
        Assert.Equal(long.MaxValue, p.Plan()[100]);
    }

    [Fact]
    public void Cpus_that_send_each_other_ipis_stay_within_one_ipi_of_each_other()
    {
        var p = Planner(cpuToCpu: 1_000);
        p.Ran(0, long.MaxValue, true, false);
        p.Ran(1, long.MaxValue, true, false);
        p.Ran(100, 1_000, false, false);
        p.Ran(101, 1_500, false, false);
        var plan = p.Plan();
        Assert.Equal(2_500, plan[100]);
        Assert.Equal(2_000, plan[101]);
    }

    [Fact]
    public void A_cpu_whose_peers_are_idle_still_stops_where_its_own_message_could_come_back()
    {
        // CPU 100 may migrate a task to the idle CPU 101, which may shoot down back at it.
        var p = Planner(cpuToCpu: 1_000);
        p.Ran(0, long.MaxValue, true, false);
        p.Ran(1, long.MaxValue, true, false);
        p.Ran(100, 1_000, false, false);
        p.Ran(101, long.MaxValue, true, false);
        Assert.Equal(3_000, p.Plan()[100]);
    }

    [Fact]
    public void What_was_sent_counts_as_the_destinations_next_event_and_keeps_the_run_going()
    {
        var p = Planner();
        p.Ran(0, long.MaxValue, true, false);
        p.Ran(1, long.MaxValue, true, false);
        p.Ran(100, long.MaxValue, true, false);
        p.Ran(101, long.MaxValue, true, false);
        Assert.True(p.AllFinished);
        p.Sent(0, 700);
        Assert.False(p.AllFinished);
        Assert.Equal(700, p.EarliestEvent);
        Assert.Equal(long.MaxValue, p.Plan()[0]);
    }

    [Fact]
    public void A_quantum_runs_every_component_with_an_event_in_one_global_window()
    {
        var p = Planner(quantum: 2_000);
        p.Ran(0, 2_500, true, false);
        p.Ran(1, long.MaxValue, true, false);
        p.Ran(100, 1_000, false, false);
        p.Ran(101, 3_500, false, false);
        var plan = p.Plan();
        Assert.Equal(new Dictionary<int, long> { [0] = 3_000, [100] = 3_000 }, plan);
    }

    [Fact]
    public void Cpus_are_linked_only_while_one_reclaims_and_the_oom_killer_bounds_every_cpu_while_it_has_work()
    {
        // 200 is the OOM killer (a kernel service that may send to any CPU); IPIs cost 1,000, a zone message 100.
        var p = new HorizonPlanner([0, 100, 101, 200], id => id is >= 100 and < 200, 100, 100, long.MaxValue, 0,
            id => id == 200, 100, id => id == 200, 1_000);
        p.Ran(0, long.MaxValue, true, false);
        p.Ran(100, 1_000, false, false);
        p.Ran(101, 5_000, false, false);
        p.Ran(200, long.MaxValue, true, false);
        Assert.Equal(long.MaxValue, p.Plan()[101]);

        // CPU 100 waits in direct reclaim: it may drain CPU 101's lists or ask the OOM killer, whose census comes
        // back two hops later, so the link is a hop to a service (100), not an IPI (1,000).
        p.Ran(100, 1_500, false, blocked: true, reclaiming: true);
        p.Ran(101, 5_000, false, false);
        p.Ran(0, 2_000, true, false);
        var plan = p.Plan();
        Assert.Equal(1_600, plan[100]);
        Assert.False(plan.ContainsKey(101), "CPU 101 at 5000 is beyond what CPU 100 at 1500 could send it by 1600");

        // The OOM killer holds a request: every CPU waits for what it may send them.
        p.Ran(0, long.MaxValue, true, false);
        p.Ran(100, long.MaxValue, false, blocked: true, reclaiming: true);
        p.Ran(101, 2_250, false, false);
        p.Sent(200, 2_200);
        Assert.Equal(2_300, p.Plan()[101]);

        // The allocation is over and the OOM killer idle: CPUs run freely again.
        p.Ran(100, 9_000, false, false);
        p.Ran(200, long.MaxValue, true, false);
        Assert.Equal(long.MaxValue, p.Plan()[101]);
    }

    [Fact]
    public void With_swap_a_service_bounds_every_cpu_by_what_it_could_ask_and_its_own_requests_answers_bound_it()
    {
        var p = SwapService();
        p.Ran(0, long.MaxValue, true, false);
        p.Ran(100, 50_000, false, false);
        p.Ran(101, 90_000, false, false);
        p.Ran(500, 1_000, true, false);
        var plan = p.Plan();
        // The service's event at 1000 may ask either CPU to unmap a page at 21000; without the link they would run free.
        Assert.False(plan.ContainsKey(100), "the CPU's event at 50000 is past what the service could ask by 21000");
        Assert.False(plan.ContainsKey(101), "the CPU's event at 90000 is past what the service could ask by 21000");
        // The service runs until the CPU it asks at 21000 could answer (21100).
        Assert.Equal(21_100, plan[500]);

        // With nothing at the services, a CPU is bounded by what any CPU could send one, then the trip back.
        p.Ran(500, long.MaxValue, true, false);
        Assert.Equal(50_000 + 100 + 20_000, p.Plan()[100]);
    }

    [Fact]
    public void A_cpu_bounded_by_what_it_could_send_itself_may_run_on_while_it_sends_nothing()
    {
        // As above: what CPU 100 sends at 50000 could come back as the service's request at 70100. If it sends nothing, only
        // CPU 101 (at 90000) could start that: CPU 100 may run on to 110100, and once it sends at T, to T + 20100.
        var p = SwapService();
        p.Ran(0, long.MaxValue, true, false);
        p.Ran(100, 50_000, false, false);
        p.Ran(101, 90_000, false, false);
        p.Ran(500, long.MaxValue, true, false);
        var plan = p.Plan();
        Assert.Equal(70_100, plan[100]);
        Assert.Equal(20_100, p.SelfChain);
        Assert.Equal(110_100, p.Beyond[100]);
        Assert.False(p.Beyond.ContainsKey(101), "CPU 101 is not in the plan: CPU 100 could reach it first");

        // A service with work of its own bounds every CPU whatever it sends: its event at 60000 may ask CPU 100 at 80000.
        p.Ran(500, 60_000, false, false);
        plan = p.Plan();
        Assert.Equal(70_100, plan[100]);
        Assert.Equal(80_000, p.Beyond[100]);

        // CPUs that reach each other only by IPIs: an idle peer cannot start anything, so a CPU that sends nothing has no bound.
        var ipis = Planner(cpuToCpu: 1_000);
        ipis.Ran(0, long.MaxValue, true, false);
        ipis.Ran(1, long.MaxValue, true, false);
        ipis.Ran(100, 1_000, false, false);
        ipis.Ran(101, long.MaxValue, true, false);
        Assert.Equal(3_000, ipis.Plan()[100]);
        Assert.Equal(2_000, ipis.SelfChain);
        Assert.Equal(long.MaxValue, ipis.Beyond[100]);
    }

    [Fact]
    public void A_services_lru_bookkeeping_does_not_bound_the_cpus_when_it_cannot_reach_them()
    {
        // Zone 0, a kswapd 500 that may ask a CPU to remap a page (an IPI, 1 us), CPUs 100 and 101 (idle).
        static HorizonPlanner Demotion() => new([0, 100, 101, 500], id => id is >= 100 and < 500, cpuToZone: 100, zoneToCpu: 100, long.MaxValue, 0,
            isService: id => id == 500, serviceLink: 100, serviceToCpu: 1_000, zoneToService: 100);

        // Its next event (an LRU addition at 10500) could reach a CPU: CPU 100 runs no further than 11500 sending nothing.
        var p = Demotion();
        p.Ran(0, long.MaxValue, true, false);
        p.Ran(101, long.MaxValue, true, false);
        p.Ran(100, 10_000, false, false);
        p.Ran(500, 10_500, true, false);
        Assert.Equal(11_100, p.Plan()[100]);
        Assert.Equal(11_500, p.Beyond[100]);

        // It says none of its events could (LRU bookkeeping without swap): CPU 100 runs until it sends something.
        p = Demotion();
        p.Ran(0, long.MaxValue, true, false);
        p.Ran(101, long.MaxValue, true, false);
        p.Ran(100, 10_000, false, false);
        p.Ran(500, 10_500, true, false, nextSend: long.MaxValue);
        Assert.Equal(11_100, p.Plan()[100]);
        Assert.Equal(long.MaxValue, p.Beyond[100]);

        // More bookkeeping sent to it changes nothing; anything else sent to it bounds the CPUs again.
        p.Sent(500, 10_200, bookkeeping: true);
        p.Plan();
        Assert.Equal(long.MaxValue, p.Beyond[100]);
        p.Sent(500, 10_300);
        p.Plan();
        Assert.Equal(11_300, p.Beyond[100]);
    }

    [Fact]
    public void A_services_lru_bookkeeping_does_not_bound_the_zones_it_sends_nothing_to()
    {
        // Zone 0 with a request at 5000; CPU 100 waits for it; CPU 101 is done; kswapd 500 holds an LRU addition at 1000.
        static HorizonPlanner Lists() => new([0, 100, 101, 500], id => id is >= 100 and < 500, cpuToZone: 100, zoneToCpu: 100, long.MaxValue, 0,
            isService: id => id == 500, serviceLink: 100);

        // Any event of a service could free pages to the zone: the zone waits for the addition at 1000 (plus the link).
        var p = Lists();
        p.Ran(0, 5_000, false, false);
        p.Ran(100, long.MaxValue, false, true, awaited: 0);
        p.Ran(101, long.MaxValue, true, false);
        p.Ran(500, 1_000, true, false);
        Assert.False(p.Plan().ContainsKey(0), "the zone's request at 5000 is past what the service could send by 1100");

        // Bookkeeping that sends nothing: the zone serves its request, bounded only by the CPU waiting for it.
        p = Lists();
        p.Ran(0, 5_000, false, false);
        p.Ran(100, long.MaxValue, false, true, awaited: 0);
        p.Ran(101, long.MaxValue, true, false);
        p.Ran(500, 1_000, true, false, nextSend: long.MaxValue);
        Assert.Equal(5_200, p.Plan()[0]);
    }

    [Fact]
    public void A_slab_front_end_the_page_cache_may_ask_is_bounded_by_it_alone_and_the_other_cpus_are_not()
    {
        // Zone 0 (idle), CPU 100 at 10000, slab front-end 200 with its own work at 1050, the page cache 500 at 1000 and a
        // kswapd 501 at 900, which gives the front-end nothing.
        static HorizonPlanner Cache(bool asks) => new([0, 100, 200, 500, 501], id => id is >= 100 and < 500, cpuToZone: 100, zoneToCpu: 100, long.MaxValue, 0,
            isService: id => id is 500 or 501, serviceLink: 100, asker: id => id == 500, asked: id => id == 200, askLatency: asks ? 100 : long.MaxValue);

        foreach (var asks in new[] { false, true })
        {
            var p = Cache(asks);
            p.Ran(0, long.MaxValue, true, false);
            p.Ran(100, 10_000, false, false);
            p.Ran(200, 1_050, false, false);
            p.Ran(500, 1_000, false, false);
            p.Ran(501, 900, false, false);
            var plan = p.Plan();

            // The xarray nodes the page cache may ask for at 1000 arrive at 1100: the front-end stops there.
            Assert.Equal(asks ? 1_100 : long.MaxValue, plan[200]);
            Assert.Equal(long.MaxValue, plan[100]);
        }

        // An idle page cache answers what a CPU sends it: a reader at 700 could be given work at 700 + 100 + 100.
        var q = Cache(asks: true);
        q.Ran(0, long.MaxValue, true, false);
        q.Ran(100, 700, false, false);
        q.Ran(200, 850, false, false);
        q.Ran(500, long.MaxValue, true, false);
        q.Ran(501, long.MaxValue, true, false);
        Assert.Equal(900, q.Plan()[200]);
    }
}

namespace NumaSim.Scenarios.Tests;

/// <summary>
/// Simulated time, advanced by hand: a run stopped at a time shows the machine as it stands there, and going on
/// from there ends exactly where an uninterrupted run ends. Config: numasim.sim; outputs: summary.json clock.
/// </summary>
public sealed class SimulatedTimeTests : NumaSimTestKit
{
    private static NumaScenario FirstTouch() => Machines.TwoNodes().WithTasks("0-1", "1M", accesses: 2000, pattern: "random", writeRatio: 0.3);

    private static string Fingerprint(SimulationState s) =>
        $"{s.Numastat(0)} {s.Numastat(1)} {s.Tlb} {s.Mmu} {string.Join(',', s.Buddyinfo(0, ZoneType.Normal))} "
        + $"{s.Latency("fault")} {s.Latency("tlb_hit_local")} {s.SimulatedNs} {s.Summary.Operations}";

    [Fact]
    public async Task A_run_paused_at_a_time_shows_the_state_there_and_ends_as_an_uninterrupted_run_ends()
    {
        var uninterrupted = await RunAsync(FirstTouch());
        using var run = Start(FirstTouch());

        var early = await run.RunUntilAsync("20us");
        Assert.False(run.Finished);
        Assert.False(early.Complete);
        // Every event before 20 us has run; one that started just before may end a little after it. A CPU's clock
        // stops where it asked its zone for a refill, and refills grow (alloc_factor) to a few tens of microseconds
        // of zone-lock work, so the latest CPU clock may lie well before the pause.
        Assert.InRange(early.SimulatedNs, 5_000, 25_000);
        Assert.InRange(early.Mmu.Faults, 1, uninterrupted.Mmu.Faults - 1);
        var later = await run.RunUntilAsync("200us");
        Assert.True(later.SimulatedNs > early.SimulatedNs);
        Assert.True(later.Mmu.Faults >= early.Mmu.Faults);
        Assert.True(later.Summary.Operations > early.Summary.Operations);
        var end = await run.RunToEndAsync();

        Assert.True(run.Finished);
        Assert.True(end.Complete);
        Assert.Equal(Fingerprint(uninterrupted), Fingerprint(end));
    }

    [Fact]
    public async Task Stepping_round_by_round_moves_the_clock_forward_to_the_same_end()
    {
        var uninterrupted = await RunAsync(FirstTouch());
        using var run = Start(FirstTouch());

        var times = new List<long>();
        var steps = 0;
        SimulationState state;
        do
        {
            state = await run.StepAsync();
            times.Add(state.SimulatedNs);
            steps++;
        }
        while (!run.Finished && steps < 100);
        if (!run.Finished)
        {
            state = await run.RunToEndAsync();
        }

        Assert.Equal(times.Order(), times);
        Assert.True(times[^1] > times[0]);
        Assert.Equal(Fingerprint(uninterrupted), Fingerprint(state));
    }
}

using NumaSim.Actors.Coordination;
using NumaSim.Model.Snapshots;
using NumaSim.Workloads.Config;

namespace NumaSim.Actors.Tests;

public sealed class SlabinfoFeedTests
{
    private static string KmallocStorm => Path.Combine(ShippedConfig.Directory, "scenarios", "kmalloc-storm.conf");

    private static string Rows(IEnumerable<SlabCacheSnapshot> caches) =>
        string.Join('\n', caches.Select(c => $"{c.Name} {c.ActiveObjects} {c.NumObjects} {c.ActiveSlabs} {c.NumSlabs}"));

    [Fact]
    public async Task A_run_publishes_slabinfo_between_rounds_as_it_changes_without_changing_the_result()
    {
        var peeks = new List<IReadOnlyList<SlabCacheSnapshot>>();
        var fed = await SimulationRunner.RunAsync(
            ScenarioLoader.Load(KmallocStorm), liveSlabs: new SlabinfoFeed(peeks.Add, TimeSpan.Zero));
        var plain = await SimulationRunner.RunAsync(ScenarioLoader.Load(KmallocStorm));

        Assert.Equal(Rows(plain.Machine.SlabCaches), Rows(fed.Machine.SlabCaches));
        Assert.Equal(plain.Summary.SimulatedNs, fed.Summary.SimulatedNs);
        Assert.True(peeks.Count > 10, $"{peeks.Count} peeks");
        // Every CPU's part of a cache is summed into one row, named as the final slabinfo names it.
        Assert.All(peeks, p => Assert.Equal(plain.Machine.SlabCaches.Select(c => c.Name), p.Select(c => c.Name)));
        // The storm's objects come and go: the live rows are not all the final ones.
        Assert.Contains(peeks, p => Rows(p) != Rows(plain.Machine.SlabCaches));
        Assert.Contains(peeks, p => p.Sum(c => c.ActiveObjects) > 0);
    }
}

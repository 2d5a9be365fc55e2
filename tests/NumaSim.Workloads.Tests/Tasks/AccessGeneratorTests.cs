using NumaSim.Model.Sim;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Workloads.Tests.Tasks;

/// <summary>The page offsets a task touches for each access pattern.</summary>
public sealed class AccessGeneratorTests
{
    private static AccessPattern Parse(string text)
    {
        Assert.True(AccessPattern.TryParse(text, out var pattern), text);
        return pattern;
    }

    private static long[] Take(string pattern, long pages, int count, long seed = 42, int stream = 3)
    {
        var generator = new AccessGenerator(Parse(pattern), pages, new SimRandom(seed, stream));
        return [.. Enumerable.Range(0, count).Select(_ => generator.Next())];
    }

    [Fact]
    public void Sequential_starts_at_the_first_page_and_wraps_around_the_working_set() =>
        Assert.Equal([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1], Take("sequential", 5, 12));

    [Fact]
    public void Strided_steps_by_its_stride_modulo_the_working_set()
    {
        var offsets = Take("strided:3", 10, 25);
        for (var i = 1; i < offsets.Length; i++)
        {
            Assert.Equal((offsets[i - 1] + 3) % 10, offsets[i]);
        }
        Assert.Equal(10, offsets.Take(10).Distinct().Count()); // gcd(3, 10) = 1: every page in 10 steps
        Assert.Equal(offsets[..10], offsets[10..20]);
    }

    [Fact]
    public void Strided_with_a_stride_sharing_a_factor_with_the_working_set_visits_a_subset()
    {
        var offsets = Take("strided:4", 10, 20);
        Assert.Equal(5, offsets.Distinct().Count()); // 10 / gcd(4, 10) pages
        Assert.All(offsets, o => Assert.InRange(o, 0, 9));
    }

    // Like sequential, strided:k starts at offset 0, then k, 2k, ... modulo the working set.
    [Fact]
    public void Strided_visits_offsets_0_k_2k_modulo_the_working_set()
    {
        Assert.Equal([0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0], Take("strided:3", 10, 11));
        Assert.Equal([0, 64, 128, 192, 0], Take("strided:64", 256, 5));
    }

    [Theory]
    [InlineData("random", 1)]
    [InlineData("random", 37)]
    [InlineData("random", 1000)]
    [InlineData("zipf:1.2", 1)]
    [InlineData("zipf:1.2", 37)]
    [InlineData("zipf:1.2", 1000)]
    [InlineData("zipf:0.9", 1000)]
    [InlineData("zipf:3", 5000)]
    public void Random_and_zipf_stay_inside_the_working_set(string pattern, long pages) =>
        Assert.All(Take(pattern, pages, 20_000), o => Assert.InRange(o, 0, pages - 1));

    [Fact]
    public void Random_reaches_every_page_of_a_small_working_set() =>
        Assert.Equal(37, Take("random", 37, 5_000).Distinct().Count());

    [Fact]
    public void Zipf_1_2_over_1000_pages_puts_far_more_than_a_uniform_share_on_the_ten_hottest_pages()
    {
        const int draws = 100_000;
        var counts = Take("zipf:1.2", 1000, draws).GroupBy(o => o).Select(g => g.Count()).OrderDescending().ToList();
        var topTen = counts.Take(10).Sum() / (double)draws;
        // Uniform: 10 / 1000 = 1%. The continuous power law puts about half of all accesses on
        // ranks 0..9: rank < 10 when u < (1 - 11^-0.2) / (1 - 1000^-0.2) = 0.51.
        Assert.InRange(topTen, 0.40, 0.62);
        Assert.True(counts[0] > 10 * (draws / 1000), $"the hottest page got {counts[0]} accesses");
    }

    [Fact]
    public void Zipf_hot_pages_are_scattered_over_the_working_set_not_one_run()
    {
        var hot = Take("zipf:1.2", 1000, 50_000).GroupBy(o => o).OrderByDescending(g => g.Count()).Take(5).Select(g => g.Key).Order().ToList();
        Assert.True(hot[^1] - hot[0] > 10, $"hot pages {string.Join(',', hot)} are contiguous");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Pointer_chase_visits_every_page_exactly_once_in_one_cycle(int pages)
    {
        var offsets = Take("pointer-chase", pages, 2 * pages);
        Assert.Equal(Enumerable.Range(0, pages).Select(i => (long)i), offsets.Take(pages).Order());
        Assert.Equal(offsets[..pages], offsets[pages..]); // a single cycle of length N
    }

    [Theory]
    [InlineData("sequential")]
    [InlineData("strided:7")]
    [InlineData("random")]
    [InlineData("zipf:1.2")]
    [InlineData("zipf:0.5")]
    [InlineData("pointer-chase")]
    public void The_same_seed_gives_the_same_sequence(string pattern) =>
        Assert.Equal(Take(pattern, 997, 2000, seed: 5, stream: 11), Take(pattern, 997, 2000, seed: 5, stream: 11));

    [Theory]
    [InlineData("random")]
    [InlineData("zipf:1.2")]
    [InlineData("pointer-chase")]
    public void Another_seed_or_stream_gives_another_sequence(string pattern)
    {
        var a = Take(pattern, 997, 200, seed: 5, stream: 11);
        Assert.NotEqual(a, Take(pattern, 997, 200, seed: 6, stream: 11));
        Assert.NotEqual(a, Take(pattern, 997, 200, seed: 5, stream: 12));
    }

    [Theory]
    [InlineData("sequential", AccessPatternKind.Sequential, 0)]
    [InlineData("strided:16", AccessPatternKind.Strided, 16)]
    [InlineData("random", AccessPatternKind.Random, 0)]
    [InlineData("zipf:0.9", AccessPatternKind.Zipf, 0.9)]
    [InlineData("zipf: 1.2", AccessPatternKind.Zipf, 1.2)]
    [InlineData("pointer-chase", AccessPatternKind.PointerChase, 0)]
    public void Patterns_parse(string text, AccessPatternKind kind, double parameter) =>
        Assert.Equal(new AccessPattern(kind, parameter), Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("linear")]
    [InlineData("sequential:2")]
    [InlineData("strided")]
    [InlineData("strided:0")]
    [InlineData("strided:1.5")]
    [InlineData("zipf")]
    [InlineData("zipf:1")]
    [InlineData("zipf:0")]
    [InlineData("zipf:-2")]
    [InlineData("zipf:abc")]
    [InlineData("random:3")]
    [InlineData("pointer-chase:1")]
    public void Malformed_patterns_do_not_parse(string text) =>
        Assert.False(AccessPattern.TryParse(text, out _));
}

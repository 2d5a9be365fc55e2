namespace NumaSim.Model.Sim;

/// <summary>
/// A small deterministic generator (SplitMix64) per simulated component, seeded from
/// (scenario seed, component id): results never depend on which thread or process runs it.
/// </summary>
public sealed class SimRandom(long seed, int streamId)
{
    private ulong _state = (ulong)seed * 0x9E3779B97F4A7C15UL ^ ((ulong)(uint)streamId << 32 | 0x5851F42DUL);

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, bound).</summary>
    public int Next(int bound) => (int)(NextUInt64() % (ulong)bound);

    /// <summary>Exponentially distributed with this mean, rounded to whole nanoseconds.</summary>
    public long Exponential(long mean) => mean <= 0 ? 0 : (long)Math.Round(-mean * Math.Log(1.0 - NextDouble()));
}

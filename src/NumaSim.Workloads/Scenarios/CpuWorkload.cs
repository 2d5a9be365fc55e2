using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;

namespace NumaSim.Workloads.Scenarios;

/// <summary>What one CPU does next: which allocation, how long it lives, how long the CPU thinks.</summary>
public sealed class CpuWorkload
{
    private readonly WorkloadStream? _stream;
    private readonly SimRandom _random;

    public CpuWorkload(WorkloadStream? stream, SimRandom random)
    {
        _stream = stream;
        _random = random;
        Policy = stream?.Policy ?? MemPolicy.Default;
    }

    public long Issued { get; private set; }

    public MemPolicy Policy { get; }

    public bool HasMore => _stream is not null && Issued < _stream.Operations;

    public AllocationKind Next()
    {
        Issued++;
        var pick = _random.Next(_stream!.TotalWeight);
        var mix = _stream.Mix;
        for (var i = 0; i < mix.Count; i++)
        {
            var kind = mix[i];
            if (pick < kind.Weight)
            {
                return kind;
            }
            pick -= kind.Weight;
        }
        return _stream.Mix[^1];
    }

    public long ThinkTime() => _random.Exponential(_stream?.MeanThinkTimeNs ?? 0);

    /// <summary>When the block is freed, relative to its allocation; null for "forever".</summary>
    public long? Lifetime(AllocationKind kind) => kind.MeanLifetimeNs is { } mean ? Math.Max(1, _random.Exponential(mean)) : null;
}

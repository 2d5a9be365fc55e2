namespace NumaSim.Actors.Messages;

/// <summary>kswapd's own event: run balance_pgdat now.</summary>
public sealed record KswapdRun : ISimPayload
{
    public static KswapdRun Instance { get; } = new();
}

/// <summary>kswapd's own event: nap number <paramref name="Nap"/> ends, early when a waker <paramref name="Woken"/> it.</summary>
public sealed record KswapdNapEnd(long Nap, bool Woken) : ISimPayload;

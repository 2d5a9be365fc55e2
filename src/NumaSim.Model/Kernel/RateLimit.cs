namespace NumaSim.Model.Kernel;

/// <summary>
/// The kernel's printk rate limits in simulated time: __ratelimit lets <c>burst</c> messages
/// through per <c>interval</c> (warn_alloc: DEFAULT_RATELIMIT_INTERVAL 5 s, DEFAULT_RATELIMIT_BURST
/// 10); __might_resched prints at most once per HZ (one second).
/// </summary>
public sealed class RateLimit(long intervalNs, int burst)
{
    private long _begin = long.MinValue;
    private int _printed;

    /// <summary>warn_alloc's limit.</summary>
    public static RateLimit WarnAlloc() => new(5_000_000_000, 10);

    /// <summary>___might_sleep's limit.</summary>
    public static RateLimit MightSleep() => new(1_000_000_000, 1);

    /// <summary>Messages this limit held back.</summary>
    public long Suppressed { get; private set; }

    /// <summary>Whether a message at this simulated time gets printed.</summary>
    public bool Allow(long now)
    {
        if (_begin == long.MinValue || now - _begin >= intervalNs)
        {
            _begin = now;
            _printed = 0;
        }
        if (_printed < burst)
        {
            _printed++;
            return true;
        }
        Suppressed++;
        return false;
    }
}

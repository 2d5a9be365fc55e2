namespace NumaSim.Actors.Engine;

/// <summary>
/// vmstat_update on this CPU: once a second of simulated time its per-CPU lists decay towards high_min and give
/// back what they hold above (decay_pcp_high). It runs before the CPU's next work, for every second boundary
/// passed since, rather than as an event of its own: a pending timer would keep a finished run going.
/// </summary>
public abstract partial class CpuSideActor
{
    /// <summary>sysctl_stat_interval: HZ.</summary>
    private const long StatIntervalNs = 1_000_000_000;

    private long _nextVmstat = StatIntervalNs;

    private void CatchUpVmstat()
    {
        while (Now >= _nextVmstat)
        {
            var (drained, more) = Allocator.DecayPcpHigh();
            foreach (var (zone, blocks) in drained)
            {
                GiveBackToZone(zone, blocks);
            }
            // With nothing left to decay the worker goes quiet; the next second after now is the next look.
            _nextVmstat = more ? _nextVmstat + StatIntervalNs : (Now / StatIntervalNs + 1) * StatIntervalNs;
        }
    }
}

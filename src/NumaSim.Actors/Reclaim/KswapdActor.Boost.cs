using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Actors.Reclaim;

/// <summary>
/// The zone flags kswapd owns and the watermark boost it takes back. ZONE_RECLAIM_ACTIVE goes to the node's zones at
/// balance_pgdat's start and end (they show it to CPUs in their views); the boosts it saw at the start come off the
/// zones at the end. The zones' views are a window old: a boost that woke kswapd is known from the wake itself, and
/// what kswapd took back from the boost counts at once, so a zone's boost here is all it ever grew by (the larger
/// of the view's and the last wake's count) less all kswapd took back.
/// </summary>
public sealed partial class KswapdActor
{
    private readonly long[] _boostRaised;
    private readonly long[] _boostCleared;

    private long BoostOf(int zone, ZoneFreeView view) =>
        Math.Max(0, Math.Max(view.WatermarkBoostRaised, _boostRaised[zone]) - _boostCleared[zone]);

    private void NoteBoost(KswapdWake wake)
    {
        if (wake.BoostedZone >= 0)
        {
            _boostRaised[wake.BoostedZone] = Math.Max(_boostRaised[wake.BoostedZone], wake.BoostRaised);
        }
    }

    private void TellReclaimActive(bool active)
    {
        foreach (var zone in _zones)
        {
            if (zone.Spec.Managed > 0)
            {
                Outbox.Send(ComponentIds.Zone(zone.Index), WorkTime + _latency.ZoneMessageNs, NotBefore, new ZoneReclaimActive(active));
            }
        }
    }

    private void TellBoostCleared(int zone, long boost)
    {
        _boostCleared[zone] += boost;
        Outbox.Send(ComponentIds.Zone(zone), WorkTime + _latency.ZoneMessageNs, NotBefore, new ZoneWatermarkBoostCleared(boost));
    }
}

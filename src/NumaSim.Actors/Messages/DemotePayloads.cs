namespace NumaSim.Actors.Messages;

/// <summary>
/// Demotion's rmap walk, asked by the reclaiming node's kswapd of the CPU running the task that maps the folio
/// (served at once, as an interrupt): move the task's page at <paramref name="Vpn"/>, if it still maps
/// <paramref name="Pfn"/>, into <paramref name="NewPfn"/> of <paramref name="NewZone"/>, already allocated on the
/// target node; follows the task if it moved on.
/// </summary>
public sealed record DemoteRemap(int SourceNode, int TaskId, long Vpn, long Pfn, long NewPfn, int NewZone) : ISimPayload;

/// <summary>The remap's outcome, to the source node's kswapd: migrated (reclaim frees the old page) or not (it goes back on the list).</summary>
public sealed record DemoteDone(long Pfn, bool Migrated) : ISimPayload;

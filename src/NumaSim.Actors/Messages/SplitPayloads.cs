namespace NumaSim.Actors.Messages;

/// <summary>
/// split_folio_to_list for swap, asked by the reclaiming node's kswapd of the CPU running the task that maps the huge
/// folio at <paramref name="Pfn"/> (served at once, as an interrupt): split the task's huge entry at
/// <paramref name="Vpn"/> if it still maps that folio; follows the task if it moved on.
/// </summary>
public sealed record SplitHugeRequest(int SourceNode, int TaskId, long Vpn, long Pfn) : ISimPayload;

/// <summary>The split's outcome, to the source node's kswapd: split (its pages go through reclaim one by one) or not (it stays whole).</summary>
public sealed record SplitHugeDone(long Pfn, bool Split) : ISimPayload;

/// <summary>split_page, from the CPU that split a huge folio: the zone's allocated block at <paramref name="Pfn"/> becomes base pages.</summary>
public sealed record ZoneSplitPage(long Pfn, int Order) : ISimPayload;

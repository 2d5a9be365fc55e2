namespace NumaSim.Actors.Messages;

/// <summary>
/// Anonymous folios a CPU's faults mapped new (folio_add_lru_vma, a per-CPU batch at a time): each page's task, the
/// virtual page that maps it and its order; the CPU sending it holds the tasks (the reverse map reclaim asks).
/// </summary>
public sealed record LruAddAnon(int Cpu, int[] Tasks, long[] Pfns, int[] Orders, long[] Vpns) : ILruBookkeeping;

/// <summary>Anonymous folios a CPU freed (munmap, the OOM killer's victim): they leave the LRU.</summary>
public sealed record LruDelAnon(long[] Pfns) : ILruBookkeeping;

/// <summary>The same frees, for the swap area's owner: a folio still in the swap cache leaves it (free_swap_cache).</summary>
public sealed record AnonFreed(long[] Pfns) : ISimPayload;

/// <summary>
/// Reclaim on <paramref name="Node"/> writes these mapped anonymous folios to swap: each gets a slot (slot 0) or
/// keeps the one it holds in the swap cache, and the owning CPU is asked to unmap it.
/// </summary>
public sealed record SwapOutRequest(int Node, long[] Pfns, int[] Zones, long[] Slots, int[] Cpus, int[] Tasks, long[] Vpns) : ISimPayload;

/// <summary>
/// try_to_unmap on the CPU that runs the task: the entry at <paramref name="Vpn"/> that maps <paramref name="Pfn"/>
/// becomes the swap entry of <paramref name="Slot"/>; the answer goes to the swap area's owner.
/// </summary>
public sealed record UnmapRequest(int TaskId, long Vpn, long Pfn, long Slot, int Node) : ISimPayload;

/// <summary>The CPU's answer: whether the entry was unmapped, and the CPU that now runs the task.</summary>
public sealed record UnmapDone(int TaskId, long Vpn, long Pfn, long Slot, int Node, int Cpu, bool Unmapped) : ISimPayload;

/// <summary>
/// To the reclaiming kswapd: the folio was unmapped (its slot is <paramref name="Slot"/>) or not (it stays mapped,
/// in the swap cache under <paramref name="Slot"/>, or -1), with the swap slots still free.
/// </summary>
public sealed record SwapOutDone(long Pfn, long Slot, int Cpu, int TaskId, long Vpn, bool Unmapped, long FreeSwapPages) : ISimPayload;

/// <summary>Written, unmapped folios reclaim freed: they leave the swap cache with their shadow entries, and their pages go back.</summary>
public sealed record SwapCacheEvict(long[] Pfns, long[] Shadows) : ISimPayload;

/// <summary>
/// A fault found the folio in the swap cache and mapped it again (still cached under <paramref name="Slot"/>, or -1):
/// reclaim keeps it (one it was freeing goes back on the LRU).
/// </summary>
public sealed record SwapCacheMapped(long Pfn, int Cpu, int TaskId, long Vpn, long Slot) : ISimPayload;

/// <summary>A folio read in from swap joins its node's LRU as a refault of the slot's shadow (-1: none), mapped by the task.</summary>
public sealed record LruAddSwapped(long Pfn, int Zone, long Shadow, int Cpu, int TaskId, long Vpn, long Slot) : ISimPayload;

/// <summary>do_swap_page's swap half asked of the swap area's owner (the model's SwapInRequest, with the task that faults).</summary>
public sealed record SwapInAsk(int Cpu, int TaskId, long Vpn, long Slot, long Pfn, int Zone, bool Write, int ReplyTo) : ISimPayload;

/// <summary>The folio to map, or pfn -1 when the swap cache had none and no page was offered.</summary>
public sealed record SwapInReply(long Pfn, int Zone) : IServiceAnswer;

/// <summary>Swap entries a CPU's unmap dropped (zap_pte_range): each one's hold on its slot goes.</summary>
public sealed record SwapSlotsFreed(long[] Slots) : ISimPayload;

using NumaSim.Model.PageAlloc;

namespace NumaSim.Actors.Messages;

/// <summary>A task's read(2) of <paramref name="Length"/> bytes of a file at <paramref name="Pos"/>; the page cache answers <paramref name="ReplyTo"/>.</summary>
public sealed record FileReadRequest(int Cpu, int TaskId, string File, long Pos, long Length, MemPolicy Policy, int ReplyTo) : ISimPayload;

/// <summary>The page cache asks the reading CPU for up to <paramref name="Count"/> pages of one request (a readahead window's run).</summary>
public sealed record PageCacheAllocRequest(int TaskId, AllocationRequest Request, int Count) : ISimPayload;

/// <summary>The pages the CPU got, in order, with their zones; fewer than asked when an allocation failed.</summary>
public sealed record PageCacheAllocReply(int TaskId, long[] Pfns, int[] Zones) : ISimPayload;

/// <summary>The read is over: pages copied, pages it brought into the cache, and whether it stopped short.</summary>
public sealed record FileReadDone(int TaskId, long PagesCopied, long PagesRead, bool Failed) : IServiceAnswer;

/// <summary>
/// The page cache stored pages whose xarray needed <paramref name="Count"/> new nodes: the reading CPU allocates them
/// from radix_tree_node (xas_alloc; the kernel does it inside the read, the model keeps the read going meanwhile).
/// </summary>
public sealed record XaNodeAlloc(int Count) : ISimPayload;

namespace NumaSim.Actors.Messages;

/// <summary>Marker of every message between simulation actors (one serializer binds to it across processes).</summary>
public interface ISimMessage;

/// <summary>Marker of what travels inside a <see cref="SimEnvelope"/>: a modeled event with a simulated arrival time.</summary>
public interface ISimPayload;

/// <summary>
/// Work sent to a CPU unasked under memory pressure (drain_all_pages' work, the OOM killer's census and kill). The
/// clock links CPUs this way only while some CPU reclaims directly, so in the round that link opens such work may find
/// its CPU already past its arrival: the CPU then serves it at its own time, as a busy CPU serves an interrupt late.
/// </summary>
public interface IPressureWork : ISimPayload;

/// <summary>
/// A change to the lists a node's kswapd keeps (a CPU's folios going on or off its LRU), which it handles without
/// sending anything; only with swap may it go on to split a huge folio, and ask a CPU. So without swap it is no event
/// from which kswapd could send anything, and the clock bounds neither CPUs, zones nor other services by it
/// (HorizonPlanner's nextSend).
/// </summary>
public interface ILruBookkeeping : ISimPayload;

/// <summary>An answer a CPU-side actor waits for from a kernel service or a zone (<c>CpuSideActor.AskService</c>), by its type.</summary>
public interface IServiceAnswer : ISimPayload;

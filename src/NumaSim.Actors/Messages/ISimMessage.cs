namespace NumaSim.Actors.Messages;

/// <summary>Marker of every message between simulation actors (one serializer binds to it across processes).</summary>
public interface ISimMessage;

/// <summary>Marker of what travels inside a <see cref="SimEnvelope"/>: a modeled event with a simulated arrival time.</summary>
public interface ISimPayload;

/// <summary>An answer a CPU-side actor waits for from a kernel service or a zone (<c>CpuSideActor.AskService</c>), by its type.</summary>
public interface IServiceAnswer : ISimPayload;

namespace NumaSim.Actors.Messages;

/// <summary>Marker of every message between simulation actors (one serializer binds to it across processes).</summary>
public interface ISimMessage;

/// <summary>Marker of what travels inside a <see cref="SimEnvelope"/>: a modeled event with a simulated arrival time.</summary>
public interface ISimPayload;

using System.Diagnostics;
using Akka.Actor;
using Akka.Serialization;
using NumaSim.Actors.Messages;

namespace NumaSim.Cluster.Serialization;

/// <summary>
/// Sends a sample of every message and payload type through this system's <see cref="SimMessageSerializer"/> both
/// ways while the cluster forms, so that a run's first rounds do not pay for MessagePack's first use: a formatter is
/// emitted and compiled on the first message of each type (measured: about 200 ms in each process on throughput.conf,
/// on the critical path of the rounds, since every round waits for the other process's answer).
/// </summary>
public static class SerializerWarmup
{
    /// <summary>
    /// Messages that never leave their process: the caller's protocol with the coordinator (always beside it) and a node's
    /// with its components (<see cref="ComponentDone"/> travels inside <see cref="NodeDone"/>, warmed with it). The outcome
    /// alone, every snapshot of the machine, took a third of the warm-up. A type listed here by mistake costs its first use.
    /// </summary>
    private static readonly HashSet<Type> Local =
    [
        typeof(Actors.Coordination.StartSimulation), typeof(Actors.Coordination.ContinueSimulation), typeof(Actors.Coordination.StopSimulation),
        typeof(Actors.Coordination.SimulationOutcome), typeof(RunWindow), typeof(ComponentDone), typeof(Bench.Ping), typeof(Bench.Pong),
    ];

    /// <summary>Warms on the thread pool; the task ends when every sample has been round-tripped.</summary>
    public static Task<Warmth> Start(ActorSystem system) => Task.Run(() => Warm(system));

    /// <summary>Round-trips every sample: what it took, and the types whose sample did not go both ways.</summary>
    public static Warmth Warm(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var clock = Stopwatch.StartNew();
        var serializer = (SerializerWithStringManifest)system.Serialization.FindSerializerForType(typeof(ISimMessage));
        var refused = new List<Type>();
        foreach (var type in SimMessageTypes.Messages.Where(t => !Local.Contains(t)))
        {
            if (!RoundTrip(serializer, () => MessageSamples.Of(type)))
            {
                refused.Add(type);
            }
        }
        foreach (var payload in SimMessageTypes.Payloads)
        {
            if (!RoundTrip(serializer, () => MessageSamples.Of(payload) is ISimPayload sample ? new EventBatch([new SimEnvelope(0, default, sample)]) : null))
            {
                refused.Add(payload);
            }
        }
        return new Warmth(clock.Elapsed, refused);
    }

    private static bool RoundTrip(SerializerWithStringManifest serializer, Func<object?> build)
    {
        try
        {
            if (build() is not { } sample)
            {
                return false;
            }
            serializer.FromBinary(serializer.ToBinary(sample), serializer.Manifest(sample));
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A sample's values mean nothing and a type may refuse them (a migrating task never crosses) or have no sample: the run does
            // not depend on the warm-up, which only saves a first use.
            return false;
        }
    }

    /// <summary>How long the warm-up took, and the types it could not send both ways (their first use in a run pays).</summary>
    public sealed record Warmth(TimeSpan Elapsed, IReadOnlyList<Type> Refused);
}

using Akka.Actor;
using NumaSim.Actors.Messages;
using NumaSim.Model.Sim;

namespace NumaSim.Actors.Engine;

/// <summary>
/// Events a component sends during a window, held until the window ends and then sent as one
/// batch per destination. Arrivals that fall inside the current window (possible only when the
/// quantum is wider than the lookahead) move to the window's end.
/// </summary>
public sealed class Outbox(int source)
{
    private readonly SortedDictionary<int, List<SimEnvelope>> _pending = [];
    private long _sequence;

    public long EarliestArrival { get; private set; } = long.MaxValue;

    public void Send(int destination, long arrival, long windowEnd, ISimPayload payload)
    {
        var time = Math.Max(arrival, windowEnd);
        var key = new SimEventKey(time, source, _sequence++);
        if (!_pending.TryGetValue(destination, out var list))
        {
            _pending[destination] = list = [];
        }
        list.Add(new SimEnvelope(destination, key, payload));
        EarliestArrival = Math.Min(EarliestArrival, time);
    }

    public void Flush(IReadOnlyDictionary<int, IActorRef> routes, IActorRef self)
    {
        foreach (var (destination, events) in _pending)
        {
            routes[destination].Tell(new EventBatch([.. events]), self);
        }
        _pending.Clear();
        EarliestArrival = long.MaxValue;
    }
}

using Akka.Actor;
using NumaSim.Actors.Messages;
using NumaSim.Model.Sim;

namespace NumaSim.Actors.Engine;

/// <summary>
/// Events a component sends during a run, held until the run ends and then sent as one batch per
/// destination. With a quantum (global windows wider than the lookahead), an arrival that would
/// fall inside the current window moves to its end.
/// </summary>
public sealed class Outbox(int source)
{
    private readonly SortedDictionary<int, List<SimEnvelope>> _pending = [];
    private readonly List<int> _bookkeeping = [];
    private long _sequence;

    /// <summary>Something was sent since the last flush.</summary>
    public bool HasPending => _pending.Count > 0;

    /// <summary>Something other than LRU bookkeeping was sent since the last flush.</summary>
    public bool HasPendingBeyondBookkeeping { get; private set; }

    /// <summary>After a flush: the destinations whose batch held LRU bookkeeping alone.</summary>
    public IReadOnlyList<int> Bookkeeping => _bookkeeping;

    public void Send(int destination, long arrival, long notBefore, ISimPayload payload)
    {
        var key = new SimEventKey(Math.Max(arrival, notBefore), source, _sequence++);
        if (!_pending.TryGetValue(destination, out var list))
        {
            _pending[destination] = list = [];
        }
        list.Add(new SimEnvelope(destination, key, payload));
        HasPendingBeyondBookkeeping |= payload is not ILruBookkeeping;
    }

    /// <summary>Sends the batches; returns the earliest arrival per destination.</summary>
    /// <param name="round">The clock's round the batches belong to (a receiver counts them per round).</param>
    public IReadOnlyList<(int Destination, long Arrival)> Flush(IReadOnlyDictionary<int, IActorRef> routes, IActorRef self, long round = 0)
    {
        _bookkeeping.Clear();
        if (_pending.Count == 0)
        {
            return [];
        }
        var sent = new List<(int, long)>(_pending.Count);
        foreach (var (destination, events) in _pending)
        {
            routes[destination].Tell(new EventBatch([.. events]) { Round = round }, self);
            var earliest = long.MaxValue;
            var bookkeeping = true;
            foreach (var e in events)
            {
                earliest = Math.Min(earliest, e.Key.Time);
                bookkeeping &= e.Payload is ILruBookkeeping;
            }
            sent.Add((destination, earliest));
            if (bookkeeping)
            {
                _bookkeeping.Add(destination);
            }
        }
        _pending.Clear();
        HasPendingBeyondBookkeeping = false;
        return sent;
    }
}

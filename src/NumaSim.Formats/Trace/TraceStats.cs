using System.Runtime.InteropServices;

namespace NumaSim.Formats.Trace;

/// <summary>
/// What <see cref="FtraceKmemParser"/> made of a trace, filled in as its events are enumerated.
/// Every event line ends up in exactly one of <see cref="Parsed"/>, <see cref="Skipped"/> and
/// <see cref="Malformed"/>.
/// </summary>
public sealed class TraceStats
{
    /// <summary>How many malformed lines <see cref="FirstMalformed"/> keeps.</summary>
    public const int MaxFirstMalformed = 10;

    private readonly Dictionary<string, long> _byEvent = new(StringComparer.Ordinal);

    /// <summary>The kmem events, counted by <see cref="KmemEventBuilder.KnownIndex"/> without a dictionary look-up.</summary>
    private readonly long[] _kmem = new long[KmemEventBuilder.KnownCount];
    private readonly List<MalformedLine> _firstMalformed = [];

    /// <summary>Lines read, headers and blank lines included.</summary>
    public long Lines { get; internal set; }

    /// <summary>Header lines ('#') and blank lines.</summary>
    public long HeaderLines { get; internal set; }

    /// <summary>kmem events yielded.</summary>
    public long Parsed { get; internal set; }

    /// <summary>
    /// Well-formed event lines not yielded: other events (sched_*, ...) and the kmem events that
    /// repeat a page operation already traced (mm_page_alloc_zone_locked, mm_page_pcpu_drain,
    /// mm_page_free_batched).
    /// </summary>
    public long Skipped { get; internal set; }

    /// <summary>kmem lines with a bad number, a missing field or a garbled prefix.</summary>
    public long Malformed { get; internal set; }

    /// <summary>Lines that are neither headers nor events (trace-cmd's "cpus=8", stack trace lines).</summary>
    public long Unrecognized { get; internal set; }

    /// <summary>Why the trace could not be read to its end (lenient parsing only; strict parsing throws): the
    /// events before it were parsed, the rest is missing.</summary>
    public string? ReadError { get; internal set; }

    /// <summary>Events ftrace reports as lost ("CPU:2 [LOST 120 EVENTS]"); a marker without a count adds 0.</summary>
    public long LostEvents { get; internal set; }

    /// <summary>Every event line, by event name (ordinal order), whatever became of it: a copy made when asked.</summary>
    public IReadOnlyDictionary<string, long> ByEvent
    {
        get
        {
            var all = new SortedDictionary<string, long>(_byEvent, StringComparer.Ordinal);
            for (var i = 0; i < _kmem.Length; i++)
            {
                if (_kmem[i] > 0)
                {
                    var name = KmemEventBuilder.KnownName(i);
                    all[name] = all.GetValueOrDefault(name) + _kmem[i];
                }
            }
            return all;
        }
    }

    /// <summary>The first <see cref="MaxFirstMalformed"/> malformed lines.</summary>
    public IReadOnlyList<MalformedLine> FirstMalformed => _firstMalformed;

    internal void CountEvent(string name)
    {
        CollectionsMarshal.GetValueRefOrAddDefault(_byEvent, name, out _)++;
    }

    internal void CountKmem(int index) => _kmem[index]++;

    internal void AddMalformed(MalformedLine line)
    {
        Malformed++;
        if (_firstMalformed.Count < MaxFirstMalformed)
        {
            _firstMalformed.Add(line);
        }
    }
}

using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;
using NumaSim.Results;

namespace NumaSim.Formats.Json;

/// <summary>
/// summary.json: the run's figures in a fixed key order with fixed number formats, so two runs
/// of the same scenario and seed give the same bytes apart from the wall-clock fields
/// (*_seconds, *_per_second) and members.
/// </summary>
public static class SummaryJson
{
    public static string Render(RunSummary r, MachineSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(s);

        var options = new JsonWriterOptions
        {
            Indented = true,
            NewLine = "\n",
            // The file is read by tools, never embedded in HTML: keep '+', '<' and non-ASCII readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, options))
        {
            w.WriteStartObject();
            w.WriteString("scenario", r.Scenario);
            w.WriteNumber("seed", r.Seed);
            w.WriteBoolean("complete", r.Complete);
            if (r.IncompleteReason is not null)
            {
                w.WriteString("incomplete_reason", r.IncompleteReason);
            }
            if (r.Panic is not null)
            {
                w.WriteString("panic", r.Panic);
            }
            w.WriteNumber("operations", r.Operations);
            w.WriteNumber("simulated_ns", r.SimulatedNs);
            WriteFixed(w, "wall_seconds", r.WallSeconds);
            WriteFixed(w, "operations_per_second", r.OperationsPerSecond);
            WriteFixed(w, "boot_seconds", r.BootSeconds);
            WriteMembers(w, r.Members);
            WriteNumastat(w, s);
            w.WriteStartObject("tlb");
            w.WriteNumber("hits", r.Tlb.Hits);
            w.WriteNumber("misses", r.Tlb.Misses);
            w.WriteEndObject();
            WriteLatency(w, r.LatencyNs);
            WriteErrors(w, r.Errors);
            WriteAllocations(w, r.Allocations);
            WriteMmu(w, r.Mmu);
            if (r.Kernel is { } kernel)
            {
                WriteKernel(w, kernel);
            }
            w.WriteStartObject("clock");
            w.WriteNumber("lookahead_ns", r.Clock.LookaheadNs);
            w.WriteNumber("quantum_ns", r.Clock.QuantumNs);
            w.WriteNumber("rounds", r.Clock.Rounds);
            w.WriteEndObject();
            WriteFreePages(w, s);
            if (r.Trace is not null)
            {
                WriteTrace(w, r.Trace);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Six decimals, always written out ("0.500000"), never exponent notation; NaN and infinities as null.</summary>
    private static void WriteFixed(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        if (double.IsFinite(value))
        {
            w.WriteRawValue(value.ToString("F6", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNullValue();
        }
    }

    private static void WriteMembers(Utf8JsonWriter w, IReadOnlyList<MemberInfo> members)
    {
        w.WriteStartArray("members");
        foreach (var m in members)
        {
            w.WriteStartObject();
            w.WriteNumber("pid", m.Pid);
            w.WriteString("address", m.Address);
            w.WriteStartArray("nodes");
            foreach (var node in m.Nodes)
            {
                w.WriteNumberValue(node);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteNumastat(Utf8JsonWriter w, MachineSnapshot s)
    {
        w.WriteStartObject("numastat");
        foreach (var node in s.NodeIds())
        {
            var numa = s.NodeOrEmpty(node).Numa;
            w.WriteStartObject(NodeKey(node));
            w.WriteNumber("numa_hit", numa.Hit);
            w.WriteNumber("numa_miss", numa.Miss);
            w.WriteNumber("numa_foreign", numa.Foreign);
            w.WriteNumber("interleave_hit", numa.InterleaveHit);
            w.WriteNumber("local_node", numa.Local);
            w.WriteNumber("other_node", numa.Other);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteLatency(Utf8JsonWriter w, IReadOnlyDictionary<string, LatencyStats> latency)
    {
        w.WriteStartObject("latency_ns");
        foreach (var (kind, stats) in latency.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(kind);
            w.WriteNumber("count", stats.Count);
            w.WriteNumber("p50", stats.P50);
            w.WriteNumber("p99", stats.P99);
            w.WriteNumber("max", stats.Max);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteErrors(Utf8JsonWriter w, IReadOnlyList<SimError> errors)
    {
        w.WriteStartArray("errors");
        foreach (var e in errors)
        {
            w.WriteStartObject();
            w.WriteString("kind", e.Kind);
            if (e.Cache is not null)
            {
                w.WriteString("cache", e.Cache);
            }
            if (e.Address is not null)
            {
                w.WriteString("address", e.Address);
            }
            w.WriteString("message", e.Message);
            w.WriteNumber("cpu", e.Cpu);
            w.WriteNumber("simulated_ns", e.SimulatedNs);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteAllocations(Utf8JsonWriter w, AllocationTotals a)
    {
        w.WriteStartObject("allocations");
        w.WriteNumber("requested", a.Requested);
        w.WriteNumber("served", a.Served);
        w.WriteNumber("failed", a.Failed);
        w.WriteNumber("frees", a.Frees);
        w.WriteNumber("remote_served", a.RemoteServed);
        w.WriteEndObject();
    }

    private static void WriteKernel(Utf8JsonWriter w, KernelTotals k)
    {
        w.WriteStartObject("kernel");
        w.WriteNumber("allocations", k.Allocations);
        w.WriteNumber("failed", k.Failed);
        w.WriteNumber("frees", k.Frees);
        w.WriteNumber("reclaim_waits", k.ReclaimWaits);
        w.WriteNumber("ctor_calls", k.CtorCalls);
        w.WriteNumber("sleeping_in_atomic", k.SleepingInAtomic);
        w.WriteNumber("debug_reports", k.DebugReports);
        w.WriteEndObject();
    }

    private static void WriteMmu(Utf8JsonWriter w, MmuTotals m)
    {
        w.WriteStartObject("mmu");
        w.WriteNumber("faults", m.Faults);
        w.WriteNumber("segfaults", m.Segfaults);
        w.WriteNumber("shootdowns", m.Shootdowns);
        w.WriteNumber("ipis", m.Ipis);
        w.WriteNumber("migrations", m.Migrations);
        w.WriteNumber("tlb_evictions", m.TlbEvictions);
        w.WriteEndObject();
    }

    /// <summary>Free blocks per order of every populated zone, as buddyinfo counts them.</summary>
    private static void WriteFreePages(Utf8JsonWriter w, MachineSnapshot s)
    {
        w.WriteStartObject("free_pages");
        foreach (var node in s.OrderedNodes())
        {
            w.WriteStartObject(NodeKey(node.Node));
            foreach (var zone in node.OrderedZones())
            {
                w.WriteStartArray(zone.Type.KernelName());
                for (var order = 0; order < s.PageOrders(); order++)
                {
                    w.WriteNumberValue(zone.FreeBlocksAtOrder(order));
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>A replay's trace: reading, what the model did, fidelity (docs/cli.md, replay).</summary>
    private static void WriteTrace(Utf8JsonWriter w, TraceReplaySummary t)
    {
        w.WriteStartObject("trace");
        w.WriteString("source", t.Source);
        w.WriteString("policy", t.Policy);
        w.WriteString("cpu_map", t.CpuMap);
        w.WriteNumber("lines", t.Lines);
        w.WriteNumber("parsed", t.Parsed);
        w.WriteNumber("skipped", t.Skipped);
        w.WriteNumber("malformed", t.Malformed);
        w.WriteNumber("lost_events", t.LostEvents);
        w.WriteNumber("unrecognized", t.Unrecognized);
        w.WriteStartObject("by_event");
        foreach (var (name, count) in t.ByEvent.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(name, count);
        }
        w.WriteEndObject();
        w.WriteNumber("traced_ns", t.TracedNs);
        w.WriteNumber("page_allocs", t.PageAllocs);
        w.WriteNumber("page_alloc_failures", t.PageAllocFailures);
        w.WriteNumber("page_allocs_failed_in_trace", t.PageAllocsFailedInTrace);
        w.WriteNumber("page_frees", t.PageFrees);
        w.WriteNumber("page_free_order_mismatches", t.PageFreeOrderMismatches);
        w.WriteNumber("object_allocs", t.ObjectAllocs);
        w.WriteNumber("object_alloc_failures", t.ObjectAllocFailures);
        w.WriteNumber("object_allocs_failed_in_trace", t.ObjectAllocsFailedInTrace);
        w.WriteNumber("object_frees", t.ObjectFrees);
        w.WriteNumber("null_frees", t.NullFrees);
        w.WriteNumber("frees_unmatched", t.FreesUnmatched);
        w.WriteNumber("page_frees_unmatched", t.PageFreesUnmatched);
        w.WriteNumber("object_frees_unmatched", t.ObjectFreesUnmatched);
        w.WriteNumber("allocs_over_live", t.AllocsOverLive);
        w.WriteNumber("caches_created", t.CachesCreated);
        w.WriteNumber("cache_create_failures", t.CacheCreateFailures);
        w.WriteNumber("live_pages", t.LivePages);
        w.WriteNumber("live_objects", t.LiveObjects);
        w.WriteStartObject("fidelity");
        w.WriteNumber("bytes_alloc_checked", t.Fidelity.BytesAllocChecked);
        w.WriteNumber("bytes_alloc_mismatches", t.Fidelity.BytesAllocMismatches);
        w.WriteNumber("migratetype_checked", t.Fidelity.MigratetypeChecked);
        w.WriteNumber("migratetype_mismatches", t.Fidelity.MigratetypeMismatches);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string NodeKey(int node) => "node" + node.ToString(CultureInfo.InvariantCulture);
}

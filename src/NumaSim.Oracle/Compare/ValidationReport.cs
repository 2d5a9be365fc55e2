using System.Globalization;
using System.Text;
using System.Text.Json;
using NumaSim.Formats.Output;

namespace NumaSim.Oracle.Compare;

/// <summary>What one real task did: its CPU and steps, and its output and exit as the guest saw them.</summary>
public sealed record TaskOutcome(int Cpu, IReadOnlyList<string> Steps, string Output);

/// <summary>Everything `numasim validate` found: the table, what it could not mirror, the kernel and the times.</summary>
public sealed record ValidationReport(
    string Scenario,
    string Kernel,
    Tolerance Tolerance,
    CounterComparison Comparison,
    SysFileComparison Files,
    IReadOnlyList<string> NotMirrored,
    IReadOnlyList<TaskOutcome> Tasks,
    IReadOnlyList<string> SimulatorNotes,
    double GuestSeconds,
    double WallSeconds)
{
    public const string FileName = "validate.json";

    /// <summary>Every modelled counter agrees, and so does every memory tier and HMAT file.</summary>
    public bool Agrees => Comparison.Agrees && Files.Agrees;

    /// <summary>The side-by-side table for standard output.</summary>
    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"numasim validate {Scenario} against {Kernel}\n");
        sb.Append(inv, $"tolerance {Tolerance.Relative:0.###} relative, {Tolerance.FloorPages} pages absolute floor; real = the run less the empty run\n\n");
        var width = Math.Max(30, Comparison.Rows.Select(r => r.Counter.Length).DefaultIfEmpty(0).Max());
        sb.Append(inv, $"{"counter".PadRight(width)} {"real",14} {"simulated",14} {"difference",12} {"rel",8}  verdict\n");
        foreach (var row in Comparison.Rows)
        {
            var relative = row.Relative is { } rel ? rel.ToString("+0.0%;-0.0%;0.0%", inv) : "";
            sb.Append(inv, $"{row.Counter.PadRight(width)} {row.Real,14} {row.Simulated,14} {row.Difference,12:+0;-0;0} {relative,8}  {VerdictName(row.Verdict)}\n");
        }
        sb.Append('\n');
        foreach (var file in Files.Rows)
        {
            sb.Append(inv, $"{file.File}: kernel {Shown(file.Real)}, simulator {Shown(file.Simulated)}  {(file.Agrees ? "agrees" : "DISAGREES")}\n");
        }
        if (Files.Rows.Count > 0)
        {
            sb.Append('\n');
        }
        foreach (var note in NotMirrored)
        {
            sb.Append(inv, $"not mirrored: {note}\n");
        }
        foreach (var note in SimulatorNotes)
        {
            sb.Append(inv, $"simulator: {note}\n");
        }
        var counts = Comparison.Rows.GroupBy(r => r.Verdict).ToDictionary(g => g.Key, g => g.Count());
        sb.Append(inv, $"{counts.GetValueOrDefault(Verdict.Agrees)} agree, {counts.GetValueOrDefault(Verdict.Disagrees)} disagree, "
            + $"{counts.GetValueOrDefault(Verdict.NotModelled)} not modelled, {counts.GetValueOrDefault(Verdict.NotInKernel)} not in this kernel; guest {GuestSeconds:0.0} s, whole validation {WallSeconds:0.0} s\n");
        return sb.ToString();
    }

    /// <summary>Writes DIR/validate.json atomically.</summary>
    public void Write(string dir)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("scenario", Scenario);
            json.WriteString("kernel", Kernel);
            json.WriteBoolean("agrees", Agrees);
            json.WriteNumber("tolerance", Tolerance.Relative);
            json.WriteNumber("floor_pages", Tolerance.FloorPages);
            json.WriteStartArray("counters");
            foreach (var row in Comparison.Rows)
            {
                json.WriteStartObject();
                json.WriteString("counter", row.Counter);
                json.WriteNumber("real", row.Real);
                json.WriteNumber("simulated", row.Simulated);
                json.WriteNumber("difference", row.Difference);
                if (row.Relative is { } rel)
                {
                    json.WriteNumber("relative", Math.Round(rel, 6));
                }
                else
                {
                    json.WriteNull("relative");
                }
                json.WriteString("verdict", VerdictName(row.Verdict));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("files");
            foreach (var file in Files.Rows)
            {
                json.WriteStartObject();
                json.WriteString("file", file.File);
                json.WriteString("real", file.Real);
                json.WriteString("simulated", file.Simulated);
                json.WriteString("verdict", file.Agrees ? "agrees" : "DISAGREES");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            WriteStrings(json, "not_mirrored", NotMirrored);
            WriteStrings(json, "simulator", SimulatorNotes);
            json.WriteStartArray("tasks");
            foreach (var task in Tasks)
            {
                json.WriteStartObject();
                json.WriteNumber("cpu", task.Cpu);
                WriteStrings(json, "steps", task.Steps);
                json.WriteString("output", task.Output);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("guest_seconds", Math.Round(GuestSeconds, 3));
            json.WriteNumber("wall_seconds", Math.Round(WallSeconds, 3));
            json.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        AtomicFile.WriteAllBytes(Path.Combine(dir, FileName), stream.ToArray());
    }

    /// <summary>A file's text on one line: "absent" when the side has no such file.</summary>
    private static string Shown(string? text) => text is null ? "absent" : "\"" + text.TrimEnd('\n').ReplaceLineEndings(" ") + "\"";

    public static string VerdictName(Verdict verdict) => verdict switch
    {
        Verdict.Agrees => "agrees",
        Verdict.Disagrees => "DISAGREES",
        Verdict.NotInKernel => "not in this kernel",
        _ => "not modelled",
    };

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }
        json.WriteEndArray();
    }
}

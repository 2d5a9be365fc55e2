using System.Globalization;
using System.Text;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Import;

/// <summary>
/// Writes a MachineTopology as the `numasim.topology { ... }` HOCON block the topology loader
/// reads (config/topologies/*.conf): name, architecture, page-size, nodes with their CPU range
/// list and zones, and the distance matrix.
/// </summary>
public static class TopologyHoconWriter
{
    /// <param name="t">The topology.</param>
    /// <param name="importedFrom">The ROOT it was imported from, named in the first comment line.</param>
    /// <param name="notes">Comment lines after the first (what the import read but the topology does not hold, such as memory tiers).</param>
    public static string Write(MachineTopology t, string? importedFrom = null, IEnumerable<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(t);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(importedFrom is null
            ? "# Imported by numasim topology import\n"
            : $"# Imported from {importedFrom.ReplaceLineEndings(" ")} by numasim topology import\n");
        foreach (var note in notes ?? [])
        {
            sb.Append("# ").Append(note.ReplaceLineEndings(" ")).Append('\n');
        }
        sb.Append("numasim.topology {\n");
        sb.Append(inv, $"  name = {Quote(t.Name)}\n");
        sb.Append(inv, $"  architecture = {Quote(t.Arch.Name)}\n");
        sb.Append(inv, $"  page-size = {t.Arch.PageSize}\n");
        sb.Append("  nodes = [\n");
        foreach (var node in t.Nodes.OrderBy(n => n.Id))
        {
            sb.Append("    {\n");
            sb.Append(inv, $"      id = {node.Id}\n");
            sb.Append(inv, $"      cpus = {Quote(CpuList.Format(node.Cpus))}\n");
            if (node.Access is { } a)
            {
                sb.Append(inv, $"      access {{ read-latency = {a.ReadLatencyNs}, write-latency = {a.WriteLatencyNs}, read-bandwidth = {a.ReadBandwidthMBps}, write-bandwidth = {a.WriteBandwidthMBps} }}\n");
            }
            if (node.Zones.Count == 0)
            {
                sb.Append("      zones = []\n");
            }
            else
            {
                sb.Append("      zones = [\n");
                foreach (var z in node.Zones.OrderBy(z => z.Type))
                {
                    var inUse = z.InUse > 0 ? string.Create(inv, $", in-use = {z.InUse}") : "";
                    var pcp = z.PcpPages.Any(c => c > 0) ? string.Create(inv, $", pcp-pages = [{string.Join(", ", z.PcpPages)}]") : "";
                    var marks = z.Watermarks is { } m
                        ? string.Create(inv, $",\n          watermarks {{ min = {m.Min}, low = {m.Low}, high = {m.High}, promo = {m.Promo} }}")
                        : "";
                    sb.Append(inv,
                        $"        {{ type = {Quote(z.Type.KernelName())}, start-pfn = {z.StartPfn}, spanned = {z.Spanned}, present = {z.Present}, managed = {z.Managed}{inUse}{pcp}{marks} }}\n");
                }
                sb.Append("      ]\n");
            }
            sb.Append("    }\n");
        }
        sb.Append("  ]\n");
        var rows = t.Distance.Select(row => "[" + string.Join(", ", row.Select(d => d.ToString(inv))) + "]");
        sb.Append(inv, $"  distance = [{string.Join(", ", rows)}]\n");
        if (t.SwapBytes > 0)
        {
            sb.Append(inv, $"  swap = {t.SwapBytes / 1024}K\n");
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>A HOCON quoted string (JSON rules: backslash and quote escaped).</summary>
    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

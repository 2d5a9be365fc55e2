using System.Globalization;
using System.Text;

namespace NumaSim.Formats;

/// <summary>
/// The hexadecimal CPU mask that "%*pb" prints into nodeN/cpumap (lib/vsprintf.c bitmap_string):
/// 32-bit groups, most significant first, separated by commas; the first group is only as many
/// hex digits wide as the bits of nr_cpu_ids it holds, the others 8 digits, all zero-padded.
/// 2 CPUs give "3", 16 give "ffff", 40 give "ff,ffffffff".
/// </summary>
public static class CpuMask
{
    private const int ChunkBits = 32;

    public static string Format(IEnumerable<int> cpus, int nrCpuIds)
    {
        ArgumentNullException.ThrowIfNull(cpus);
        ArgumentOutOfRangeException.ThrowIfNegative(nrCpuIds);

        var bits = new bool[nrCpuIds];
        foreach (var cpu in cpus)
        {
            if (cpu < 0 || cpu >= nrCpuIds)
            {
                throw new ArgumentOutOfRangeException(nameof(cpus), cpu, $"CPU ids must be below nr_cpu_ids ({nrCpuIds})");
            }
            bits[cpu] = true;
        }

        var sb = new StringBuilder();
        var chunkBits = nrCpuIds % ChunkBits == 0 ? ChunkBits : nrCpuIds % ChunkBits;
        for (var low = (nrCpuIds + ChunkBits - 1) / ChunkBits * ChunkBits - ChunkBits; low >= 0; low -= ChunkBits)
        {
            uint value = 0;
            for (var bit = 0; bit < chunkBits; bit++)
            {
                if (bits[low + bit])
                {
                    value |= 1u << bit;
                }
            }
            if (sb.Length > 0)
            {
                sb.Append(',');
            }
            var digits = (chunkBits + 3) / 4;
            sb.Append(value.ToString("x" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
            chunkBits = ChunkBits;
        }
        return sb.ToString();
    }
}

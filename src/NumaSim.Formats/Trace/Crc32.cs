namespace NumaSim.Formats.Trace;

/// <summary>
/// gzip's CRC-32 (ISO 3309, reflected polynomial 0xedb88320), eight bytes a step (slicing-by-8) so that checking
/// a trace costs little beside inflating it.
/// </summary>
internal static class Crc32
{
    private static readonly uint[][] Tables = BuildTables();

    /// <summary>The running CRC after <paramref name="data"/>; start from 0.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var c = ~crc;
        var t = Tables;
        while (data.Length >= 8)
        {
            var lo = c ^ (uint)(data[0] | data[1] << 8 | data[2] << 16 | data[3] << 24);
            var hi = (uint)(data[4] | data[5] << 8 | data[6] << 16 | data[7] << 24);
            c = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24]
                ^ t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
            data = data[8..];
        }
        foreach (var b in data)
        {
            c = t[0][(c ^ b) & 0xff] ^ (c >> 8);
        }
        return ~c;
    }

    private static uint[][] BuildTables()
    {
        var tables = new uint[8][];
        tables[0] = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xedb88320 ^ (c >> 1) : c >> 1;
            }
            tables[0][i] = c;
        }
        for (var s = 1; s < 8; s++)
        {
            tables[s] = new uint[256];
            for (var i = 0; i < 256; i++)
            {
                var prev = tables[s - 1][i];
                tables[s][i] = tables[0][prev & 0xff] ^ (prev >> 8);
            }
        }
        return tables;
    }
}

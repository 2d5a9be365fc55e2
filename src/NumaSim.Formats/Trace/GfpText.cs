using System.Globalization;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Formats.Trace;

/// <summary>
/// Reads gfp_flags as show_gfp_flags prints it: '|'-joined names, "none" for 0, and left-over
/// bits as hex ("GFP_KERNEL|0x1000000"); a bare hex or decimal number is read as the bits.
/// Names the model lacks (__GFP_SKIP_KASAN, __GFP_ZEROTAGS, __GFP_ATOMIC before 6.3, ...) are
/// kept as text, never an error.
/// </summary>
internal static class GfpText
{
    /// <summary>Every bit the Gfp enum names.</summary>
    private static readonly uint KnownBits = Enum.GetValues<Gfp>()
        .Where(g => g != Gfp.None && ((uint)g & ((uint)g - 1)) == 0)
        .Aggregate(0u, (all, g) => all | (uint)g);

    /// <summary>False when the text is empty.</summary>
    public static bool TryParse(string text, out ParsedGfp parsed)
    {
        parsed = default;
        if (text.Length == 0)
        {
            return false;
        }
        if (text == "none")
        {
            parsed = new ParsedGfp(text, Gfp.None, null);
            return true;
        }
        var gfp = Gfp.None;
        List<string>? unknown = null;
        foreach (var raw in text.Split('|'))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                continue;
            }
            if (TryNumber(part, out var bits))
            {
                gfp |= (Gfp)(uint)(bits & KnownBits);
                var rest = bits & ~(ulong)KnownBits;
                if (rest != 0)
                {
                    (unknown ??= []).Add("0x" + rest.ToString("x", CultureInfo.InvariantCulture));
                }
                continue;
            }
            if (GfpFlags.TryParse(part, out var named, out _))
            {
                gfp |= named;
            }
            else
            {
                (unknown ??= []).Add(part);
            }
        }
        parsed = new ParsedGfp(text, gfp, unknown is null ? null : string.Join('|', unknown));
        return true;
    }

    private static bool TryNumber(string part, out ulong bits)
    {
        if (part.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return ulong.TryParse(part.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bits);
        }
        return ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out bits);
    }
}

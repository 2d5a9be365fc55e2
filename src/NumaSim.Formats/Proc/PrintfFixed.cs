using System.Globalization;
using System.Numerics;

namespace NumaSim.Formats.Proc;

/// <summary>
/// C's "%.Nf" as glibc prints it: the exact binary value of the double rounded to N decimals, ties to even
/// (0.125 with "%.2f" is "0.12"), NaN as "-nan" or "nan" by its sign bit, infinities as "inf". .NET's "F2" rounds
/// ties away from zero, which slabtop's K sizes (multiples of 1/1024) hit often.
/// </summary>
internal static class PrintfFixed
{
    public static string Format(double value, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        if (double.IsNaN(value))
        {
            return double.IsNegative(value) ? "-nan" : "nan";
        }
        if (double.IsInfinity(value))
        {
            return value < 0 ? "-inf" : "inf";
        }

        // value = mantissa * 2^exponent exactly.
        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exponent == 0)
        {
            exponent = 1; // subnormal
        }
        else
        {
            mantissa |= 1L << 52;
        }
        exponent -= 1075;

        var scaled = new BigInteger(mantissa) * BigInteger.Pow(10, decimals);
        BigInteger units;
        if (exponent >= 0)
        {
            units = scaled << exponent;
        }
        else
        {
            var shift = -exponent;
            units = scaled >> shift;
            var remainder = scaled - (units << shift);
            var comparison = remainder.CompareTo(BigInteger.One << (shift - 1));
            if (comparison > 0 || (comparison == 0 && !units.IsEven))
            {
                units += 1;
            }
        }

        var digits = units.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
        var text = decimals == 0 ? digits : string.Concat(digits.AsSpan(0, digits.Length - decimals), ".", digits.AsSpan(digits.Length - decimals));
        return double.IsNegative(value) ? "-" + text : text;
    }
}

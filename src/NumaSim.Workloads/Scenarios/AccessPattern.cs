namespace NumaSim.Workloads.Scenarios;

public enum AccessPatternKind
{
    Sequential,
    Strided,
    Random,
    Zipf,
    PointerChase,
}

/// <summary>How a task walks its working set: the kind and its parameter (stride in pages, Zipf exponent).</summary>
public sealed record AccessPattern(AccessPatternKind Kind, double Parameter)
{
    public static bool TryParse(string text, out AccessPattern pattern)
    {
        pattern = new AccessPattern(AccessPatternKind.Sequential, 0);
        var parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
        var hasArg = parts.Length == 2;
        double arg = 0;
        if (hasArg && !double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out arg)
            || !double.IsFinite(arg))
        {
            return false;
        }
        switch (parts[0])
        {
            case "sequential" when !hasArg:
                return true;
            case "strided" when hasArg && arg >= 1 && arg == Math.Floor(arg):
                pattern = new AccessPattern(AccessPatternKind.Strided, arg);
                return true;
            case "random" when !hasArg:
                pattern = new AccessPattern(AccessPatternKind.Random, 0);
                return true;
            case "zipf" when hasArg && arg > 0 && arg != 1:
                pattern = new AccessPattern(AccessPatternKind.Zipf, arg);
                return true;
            case "pointer-chase" when !hasArg:
                pattern = new AccessPattern(AccessPatternKind.PointerChase, 0);
                return true;
            default:
                return false;
        }
    }

    public override string ToString() => Kind switch
    {
        AccessPatternKind.Strided => $"strided:{Parameter}",
        AccessPatternKind.Zipf => $"zipf:{Parameter}",
        AccessPatternKind.PointerChase => "pointer-chase",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}

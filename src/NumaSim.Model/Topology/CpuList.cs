using System.Globalization;

namespace NumaSim.Model.Topology;

/// <summary>The kernel's cpulist/nodelist syntax: "0-3,8,10-11".</summary>
public static class CpuList
{
    public static bool TryParse(string text, out IReadOnlyList<int> ids)
    {
        var result = new SortedSet<int>();
        ids = [];
        if (string.IsNullOrWhiteSpace(text))
        {
            return text is not null && text.Trim().Length == 0;
        }
        foreach (var part in text.Trim().Split(','))
        {
            var range = part.Split('-');
            if (range.Length is < 1 or > 2
                || !int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || first > 1_000_000)
            {
                return false;
            }
            var last = first;
            if (range.Length == 2 && (!int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out last) || last < first || last > 1_000_000))
            {
                return false;
            }
            for (var id = first; id <= last; id++)
            {
                result.Add(id);
            }
        }
        ids = [.. result];
        return true;
    }

    public static string Format(IEnumerable<int> ids)
    {
        var sorted = ids.Distinct().Order().ToList();
        var parts = new List<string>();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }
            parts.Add(i == j ? Str(sorted[i]) : $"{Str(sorted[i])}-{Str(sorted[j])}");
            i = j + 1;
        }
        return string.Join(',', parts);
    }

    private static string Str(int v) => v.ToString(CultureInfo.InvariantCulture);
}

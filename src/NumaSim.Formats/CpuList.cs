namespace NumaSim.Formats;

/// <summary>The kernel's range lists ("0-3,8") as the renderers and the importer use them; the syntax lives in the model.</summary>
public static class CpuList
{
    public static string Format(IEnumerable<int> ids) => Model.Topology.CpuList.Format(ids);

    /// <summary>Reads a range list; surrounding white space (a sysfs file's newline) is ignored.</summary>
    /// <exception cref="FormatException">The text is not a range list.</exception>
    public static IReadOnlyList<int> Parse(string text) =>
        Model.Topology.CpuList.TryParse(text.Trim(), out var ids) ? ids : throw new FormatException($"not a range list such as \"0-3,8\": \"{text.Trim()}\"");
}

namespace NumaSim.Oracle.Guest;

/// <summary>The guest program's C source and the guest init script, embedded in this assembly.</summary>
public static class GuestSources
{
    public static string Program => Read("numasim-guest.c");

    public static string Init => Read("init.sh");

    private static string Read(string name)
    {
        using var stream = typeof(GuestSources).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"resource {name} is missing from {typeof(GuestSources).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

namespace NumaSim.Oracle.Guest;

/// <summary>Compiles the guest program with the host's gcc, statically, so that it runs in a guest with no libc.</summary>
public static class GuestProgram
{
    /// <summary>Writes the source into <paramref name="dir"/> and returns the path of the static executable built from it.</summary>
    /// <exception cref="OracleException">gcc is missing or the build failed.</exception>
    public static async Task<string> BuildAsync(string dir, CancellationToken cancel = default)
    {
        System.IO.Directory.CreateDirectory(dir);
        var source = Path.Combine(dir, "numasim-guest.c");
        var binary = Path.Combine(dir, "numasim-guest");
        await File.WriteAllTextAsync(source, GuestSources.Program, cancel).ConfigureAwait(false);
        await HostProcess.CheckedAsync("gcc", ["-O2", "-static", "-Wall", "-Wextra", "-Werror", "-o", binary, source], TimeSpan.FromMinutes(2), cancel)
            .ConfigureAwait(false);
        return binary;
    }
}

using System.Globalization;

namespace NumaSim.Oracle.Qemu;

/// <summary>
/// The guest's disks: for read-file steps a sparse ext4 image holding each named file as a hole of its size, so
/// that the image costs the host nothing and a read fills the guest's page cache with zero pages; for swap a sparse
/// image mkswap formatted.
/// </summary>
public static class DiskImage
{
    /// <summary>Room for the file system's own metadata on top of the files.</summary>
    private const long SlackBytes = 64L << 20;

    /// <exception cref="OracleException">mkfs.ext4 or debugfs is missing or failed.</exception>
    public static async Task CreateAsync(string path, IReadOnlyDictionary<string, long> files, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var inv = CultureInfo.InvariantCulture;
        var size = files.Values.Sum() + SlackBytes;
        await using (var image = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            image.SetLength(size);
        }
        var timeout = TimeSpan.FromMinutes(2);
        // No journal and no checksums: nothing in the guest writes, and both would only add pages to the page cache.
        await HostProcess.CheckedAsync("mkfs.ext4", ["-q", "-F", "-O", "^metadata_csum,^has_journal", path], timeout, cancel).ConfigureAwait(false);
        foreach (var (name, bytes) in files)
        {
            await Debugfs(path, $"write /dev/null {name}", timeout, cancel).ConfigureAwait(false);
            await Debugfs(path, string.Create(inv, $"sif {name} size {bytes}"), timeout, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The guest's swap disk: a sparse raw image of <paramref name="bytes"/> with mkswap's header (the guest's
    /// swapon then has bytes / page - 1 slots, as the simulator's swap area).
    /// </summary>
    /// <exception cref="OracleException">mkswap is missing or failed.</exception>
    public static async Task CreateSwapAsync(string path, long bytes, CancellationToken cancel = default)
    {
        await using (var image = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            image.SetLength(bytes);
        }
        await HostProcess.CheckedAsync("mkswap", [path], TimeSpan.FromMinutes(1), cancel).ConfigureAwait(false);
    }

    private static async Task Debugfs(string image, string request, TimeSpan timeout, CancellationToken cancel)
    {
        var output = await HostProcess.CheckedAsync("debugfs", ["-w", "-R", request, image], timeout, cancel).ConfigureAwait(false);
        // debugfs exits 0 even when the request fails; its error lines name the request.
        if (output.Contains("not found", StringComparison.Ordinal) || output.Contains("Could not", StringComparison.Ordinal))
        {
            throw new OracleException($"debugfs {request}: {HostProcess.Tail(output)}");
        }
    }
}

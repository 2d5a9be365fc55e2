namespace NumaSim.Oracle.Qemu;

/// <summary>
/// The modules a read-file step needs (ext4 on virtio_blk), in load order, taken from the kernel's own tree:
/// --modules DIR (the lib/modules/VERSION directory) or, by default, the Debian package layout next to the
/// vmlinuz (PKG/boot/vmlinuz-VERSION and PKG/lib/modules/VERSION).
/// </summary>
public static class KernelModules
{
    /// <summary>Module paths under lib/modules/VERSION/kernel, dependencies first.</summary>
    public static IReadOnlyList<string> ForExt4OnVirtio { get; } =
        ["lib/crc16", "crypto/crc32c_generic", "fs/mbcache", "fs/jbd2/jbd2", "fs/ext4/ext4", "drivers/block/virtio_blk"];

    /// <summary>The lib/modules/VERSION directory for a kernel image, or null when it cannot be found.</summary>
    public static string? DefaultDirectory(string kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var name = Path.GetFileName(kernel);
        if (!name.StartsWith("vmlinuz-", StringComparison.Ordinal))
        {
            return null;
        }
        var version = name["vmlinuz-".Length..];
        var boot = Path.GetDirectoryName(Path.GetFullPath(kernel))!;
        var dir = Path.Combine(boot, "..", "lib", "modules", version);
        return Directory.Exists(dir) ? Path.GetFullPath(dir) : null;
    }

    /// <summary>Each module uncompressed (the guest's busybox insmod reads plain .ko files), by short name.</summary>
    /// <exception cref="OracleException">A module is missing or xz failed.</exception>
    public static async Task<IReadOnlyList<(string Name, byte[] Data)>> ReadAsync(string dir, CancellationToken cancel = default)
    {
        var result = new List<(string, byte[])>();
        foreach (var module in ForExt4OnVirtio)
        {
            var name = Path.GetFileName(module);
            var plain = Path.Combine(dir, "kernel", module + ".ko");
            if (File.Exists(plain))
            {
                result.Add((name, await File.ReadAllBytesAsync(plain, cancel).ConfigureAwait(false)));
                continue;
            }
            var packed = plain + ".xz";
            if (!File.Exists(packed))
            {
                throw new OracleException($"{plain}(.xz): module not found (read-file steps need ext4 and virtio_blk as modules; give --modules DIR)");
            }
            result.Add((name, await DecompressAsync(packed, cancel).ConfigureAwait(false)));
        }
        return result;
    }

    /// <summary>xz writes binary to a file, not through the process pipe: the copy is decompressed in a scratch directory.</summary>
    private static async Task<byte[]> DecompressAsync(string packed, CancellationToken cancel)
    {
        var scratch = Directory.CreateTempSubdirectory("numasim-ko-");
        try
        {
            var copy = Path.Combine(scratch.FullName, Path.GetFileName(packed));
            File.Copy(packed, copy);
            await HostProcess.CheckedAsync("xz", ["-d", copy], TimeSpan.FromMinutes(1), cancel).ConfigureAwait(false);
            return await File.ReadAllBytesAsync(copy[..^".xz".Length], cancel).ConfigureAwait(false);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}

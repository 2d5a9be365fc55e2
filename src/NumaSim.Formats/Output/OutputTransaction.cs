using System.Globalization;

namespace NumaSim.Formats.Output;

/// <summary>
/// An output tree written as one transaction: every file goes into a sibling staging directory
/// (<c>.NAME.ID.staging</c>), which <see cref="Commit"/> swaps in for the old tree with two renames (the old tree
/// to <c>.NAME.ID.old</c>, the staging directory to NAME), so a reader, a crash or a full disk leaves the old tree or
/// the new one, never a mix. A lock file beside the tree (<c>.NAME.lock</c>, held with an exclusive advisory lock
/// for the whole run) keeps two runs from writing one tree. What a killed run left (staging directories, an old
/// tree renamed away just before the kill) is cleaned up, or put back, by the next run that takes the lock.
/// </summary>
public sealed class OutputTransaction : IDisposable
{
    private const string StagingSuffix = ".staging";
    private const string OldSuffix = ".old";

    private readonly FileStream _lock;
    private bool _committed;

    private OutputTransaction(string target, string staging, FileStream heldLock)
    {
        Target = target;
        Staging = staging;
        _lock = heldLock;
    }

    /// <summary>The tree's path as given.</summary>
    public string Target { get; }

    /// <summary>Where the writers write until <see cref="Commit"/>.</summary>
    public string Staging { get; }

    /// <summary>Takes the tree's lock, repairs what a killed run left and makes an empty staging directory.</summary>
    /// <exception cref="OutputLocationException">The location cannot be written, or another run holds it.</exception>
    public static OutputTransaction Begin(string dir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dir);
        var full = Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full);
        var name = Path.GetFileName(full);
        if (parent is null || name.Length == 0)
        {
            throw new OutputLocationException(dir, "is a file system root, not a directory to replace");
        }
        if (File.Exists(full))
        {
            throw new OutputLocationException(dir, "is a file, not a directory");
        }
        FileStream heldLock;
        try
        {
            Directory.CreateDirectory(parent);
            heldLock = new FileStream(Path.Combine(parent, $".{name}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsLocked(e))
        {
            throw new OutputLocationException(dir, "another numasim run is writing it", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputLocationException(dir, "cannot write here: " + e.Message, e);
        }
        try
        {
            Recover(parent, name, full);
            var staging = Path.Combine(parent, $".{name}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}{StagingSuffix}");
            Directory.CreateDirectory(staging);
            return new OutputTransaction(dir, staging, heldLock);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            heldLock.Dispose();
            throw new OutputLocationException(dir, "cannot write here: " + e.Message, e);
        }
    }

    /// <summary>The staging directory of a run writing <paramref name="dir"/> now, if any (`numasim slabtop DIR`
    /// follows a run's live slabinfo there).</summary>
    public static string? LiveStaging(string dir)
    {
        var full = Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full);
        if (parent is null || !Directory.Exists(parent))
        {
            return null;
        }
        return Directory.EnumerateDirectories(parent, $".{Path.GetFileName(full)}.*{StagingSuffix}")
            .OrderByDescending(Directory.GetLastWriteTimeUtc)
            .FirstOrDefault();
    }

    /// <summary>Writes the tree into the staging directory, then swaps it in.</summary>
    /// <exception cref="OutputLocationException">A write or a rename failed (a full disk): the old tree stays.</exception>
    public void WriteAndCommit(Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            write(Staging);
        }
        catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not OutputLocationException || IsFileTooLarge(e))
        {
            throw new OutputLocationException(Target, "cannot write here: " + (IsFileTooLarge(e) ? "File too large (EFBIG)" : e.Message), e);
        }
        Commit();
    }

    /// <summary>
    /// A write past the file-size limit (EFBIG: RLIMIT_FSIZE, or the file system's largest file), which .NET reports
    /// as an ArgumentOutOfRangeException of the file's own writing rather than as an IOException.
    /// </summary>
    private static bool IsFileTooLarge(Exception e) =>
        e is ArgumentOutOfRangeException && e.TargetSite?.DeclaringType?.Namespace == typeof(RandomAccess).Namespace;

    /// <summary>Swaps the staging directory in for the tree.</summary>
    /// <exception cref="OutputLocationException">A rename failed; the old tree is put back.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        var full = Path.GetFullPath(Target).TrimEnd(Path.DirectorySeparatorChar);
        var old = Staging[..^StagingSuffix.Length] + OldSuffix;
        try
        {
            if (Directory.Exists(full))
            {
                Directory.Move(full, old);
            }
            Directory.Move(Staging, full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (Directory.Exists(old) && !Directory.Exists(full))
            {
                Directory.Move(old, full);
            }
            throw new OutputLocationException(Target, "cannot write here: " + e.Message, e);
        }
        _committed = true;
        DeleteQuietly(old);
    }

    /// <summary>Without <see cref="Commit"/>: the staging directory goes, the old tree stays. Releases the lock.</summary>
    public void Dispose()
    {
        if (!_committed)
        {
            DeleteQuietly(Staging);
        }
        _lock.Dispose();
    }

    /// <summary>Under the lock, no other run is using the siblings: a tree renamed away by a run killed between its
    /// two renames comes back, and staging directories of killed runs go.</summary>
    private static void Recover(string parent, string name, string full)
    {
        foreach (var old in Directory.EnumerateDirectories(parent, $".{name}.*{OldSuffix}"))
        {
            if (!Directory.Exists(full))
            {
                Directory.Move(old, full);
                continue;
            }
            DeleteQuietly(old);
        }
        foreach (var staging in Directory.EnumerateDirectories(parent, $".{name}.*{StagingSuffix}"))
        {
            DeleteQuietly(staging);
        }
    }

    private static void DeleteQuietly(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next run on this tree, which removes it under the lock.
        }
    }

    /// <summary>EWOULDBLOCK / EAGAIN from the advisory lock (.NET reports it as a sharing violation).</summary>
    private static bool IsLocked(IOException e) =>
        e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException)
        && e.HResult is 11 or 32 or unchecked((int)0x80070020);
}

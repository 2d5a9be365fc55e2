using System.Diagnostics;
using System.Text;

namespace NumaSim.EndToEnd.Tests.Support;

/// <summary>The outcome of one `numasim` process.</summary>
public sealed record CliResult(string Command, int ExitCode, string Stdout, string Stderr, bool TimedOut, TimeSpan Elapsed)
{
    /// <summary>Standard error split into lines, without a trailing empty line.</summary>
    public string[] StderrLines
    {
        get
        {
            var text = Stderr.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
            return text.Length == 0 ? [] : text.Split('\n');
        }
    }

    public override string ToString() =>
        $"$ {Command}\nexit {(TimedOut ? "TIMEOUT" : ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture))} after {Elapsed.TotalSeconds:F1} s\n--- stdout ---\n{Truncate(Stdout)}\n--- stderr ---\n{Truncate(Stderr)}";

    private static string Truncate(string s) => s.Length <= 4000 ? s : s[..4000] + "\n...";
}

/// <summary>
/// Runs the built CLI (src/NumaSim.Cli/bin/&lt;Configuration&gt;/net10.0/numasim.dll) as `dotnet numasim.dll ...`,
/// and runs other programs (python3, unshare) the same way.
/// </summary>
public static class CliRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    private static readonly Lazy<string> RepoRootLazy = new(FindRepoRoot);
    private static readonly Lazy<string> CliDllLazy = new(FindCliDll);

    /// <summary>The folder holding NumaSim.sln.</summary>
    public static string RepoRoot => RepoRootLazy.Value;

    /// <summary>tests/data/reference/procfs-6.18: a real Linux 6.18 machine's /proc and /sys files (1 node, 2 CPUs).</summary>
    public static string ReferenceProcfs => Path.Combine(RepoRoot, "tests", "data", "reference", "procfs-6.18");

    /// <summary>The built numasim.dll.</summary>
    public static string CliDll => CliDllLazy.Value;

    /// <summary>Runs `dotnet numasim.dll args...` in <paramref name="workingDirectory"/>.</summary>
    public static CliResult Run(string workingDirectory, params string[] args) =>
        RunWithTimeout(workingDirectory, DefaultTimeout, args);

    public static CliResult RunWithTimeout(string workingDirectory, TimeSpan timeout, params string[] args) =>
        RunProgram(DotnetHost(), [CliDll, .. args], workingDirectory, timeout, "numasim " + string.Join(' ', args.Select(Quote)));

    /// <summary>Runs `dotnet numasim.dll args...` with <paramref name="stdin"/> on its standard input.</summary>
    public static CliResult RunWithInput(string workingDirectory, byte[] stdin, params string[] args) =>
        RunProgram(DotnetHost(), [CliDll, .. args], workingDirectory, DefaultTimeout, "numasim " + string.Join(' ', args.Select(Quote)) + " < input", stdin);

    /// <summary>Runs any program found on PATH (or by absolute path).</summary>
    public static CliResult RunProgram(string fileName, IReadOnlyList<string> args, string workingDirectory, TimeSpan timeout, string? display = null, byte[]? stdin = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }
        var command = display ?? fileName + " " + string.Join(' ', args.Select(Quote));

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        var input = Task.Run(() =>
        {
            try
            {
                if (stdin is not null)
                {
                    process.StandardInput.BaseStream.Write(stdin);
                }
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // the program exited without reading all of it
            }
        });
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var timedOut = !process.WaitForExit((int)timeout.TotalMilliseconds);
        if (timedOut)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // exited in the meantime
            }
            process.WaitForExit();
        }
        else
        {
            process.WaitForExit(); // flushes the asynchronous readers
        }
        Task.WaitAll([stdout, stderr, input], TimeSpan.FromSeconds(30));
        watch.Stop();
        return new CliResult(
            command,
            timedOut ? -1 : process.ExitCode,
            stdout.IsCompletedSuccessfully ? stdout.Result : "",
            stderr.IsCompletedSuccessfully ? stderr.Result : "",
            timedOut,
            watch.Elapsed);
    }

    /// <summary>
    /// Starts `dotnet numasim.dll args...` without waiting for it, with extra environment variables;
    /// the caller ends it (by its handle) when done. Output goes to files beside the working directory's.
    /// </summary>
    public static Process StartInBackground(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(CliDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start numasim");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The absolute path of <paramref name="program"/> on PATH, or null.</summary>
    public static string? Which(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    public static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }
        return "dotnet";
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NumaSim.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no NumaSim.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The build configuration these tests were built in (Release, Debug): AppContext.BaseDirectory is .../bin/&lt;Configuration&gt;/&lt;tfm&gt;/.</summary>
    public static string? Configuration =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)).Parent?.Name;

    private static string FindCliDll()
    {
        var bin = Path.Combine(RepoRoot, "src", "NumaSim.Cli", "bin");
        // Use the CLI of the same configuration as these tests.
        var configuration = Configuration;
        if (configuration is not null)
        {
            var same = Path.Combine(bin, configuration, "net10.0", "numasim.dll");
            if (File.Exists(same))
            {
                return same;
            }
        }
        var any = Directory.Exists(bin)
            ? Directory.EnumerateFiles(bin, "numasim.dll", SearchOption.AllDirectories)
                .Where(p => Path.GetFileName(Path.GetDirectoryName(p)) == "net10.0")
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault()
            : null;
        return any ?? throw new InvalidOperationException($"numasim.dll not found under {bin}; build src/NumaSim.Cli first");
    }

    private static string Quote(string a) => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./=:,".Contains(c, StringComparison.Ordinal)) ? a : "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

using System.Diagnostics;
using System.Text;

namespace NumaSim.EndToEnd.Tests.Support;

/// <summary>A `numasim` process the test runs alongside: its standard error as it comes, a kill -9, its exit.</summary>
public sealed class LiveCli : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stderr = [];
    private readonly StringBuilder _stdout = new();

    public LiveCli(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(CliRunner.CliDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["NUMASIM_CLUSTER_TRACE"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }
        Command = "numasim " + string.Join(' ', args);
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start numasim");
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.Add(e.Data);
                }
            }
        };
        _process.OutputDataReceived += (_, e) =>
        {
            lock (_stdout)
            {
                _stdout.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public string Command { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<string> StderrLines
    {
        get
        {
            lock (_stderr)
            {
                return [.. _stderr];
            }
        }
    }

    /// <summary>The first standard-error line that starts with <paramref name="prefix"/> and holds <paramref name="fragment"/>, waiting for it in real time.</summary>
    public string WaitForLine(string prefix, TimeSpan timeout, string fragment = "")
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            var line = StderrLines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.Contains(fragment, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }
            if (_process.HasExited)
            {
                break;
            }
            Thread.Sleep(50); // polling a real process's output, not simulated time
        }
        throw new TimeoutException($"no line starting with '{prefix}' after {watch.Elapsed.TotalSeconds:F0} s\n{this}");
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }
        _process.WaitForExit();
        return true;
    }

    public void Kill9() => _process.Kill(entireProcessTree: false);

    public override string ToString() =>
        $"$ {Command}\n{(_process.HasExited ? $"exit {_process.ExitCode}" : "running")}\n--- stderr ---\n{string.Join('\n', StderrLines.TakeLast(60))}";

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // exited in the meantime
        }
        _process.Dispose();
    }

    /// <summary>True while a process with this pid exists (a zombie counts as gone).</summary>
    public static bool Alive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The members the coordinator's trace line "numasim: ... hosted PID=ADDRESS ..." lists, coordinator first.</summary>
    public static IReadOnlyList<(int Pid, string Address)> Hosted(string traceLine) =>
        [.. traceLine[(traceLine.IndexOf(" hosted ", StringComparison.Ordinal) + 8)..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), p[1]))];
}

using System.Diagnostics;
using System.Reflection;

namespace NumaSim.Cluster.Hosting;

/// <summary>
/// The `numasim member` processes a `--processes N` run starts: the same executable as this one,
/// their output forwarded to this process's standard error line by line. They end with the run.
/// </summary>
public sealed class ChildMembers : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly TextWriter _error;

    private ChildMembers(TextWriter error) => _error = error;

    public IReadOnlyList<Process> Processes => _processes;

    /// <summary>Environment variable through which members get the certificate's password (never on the command line, where ps shows it).</summary>
    public const string PasswordVariable = "NUMASIM_CERTIFICATE_PASSWORD";

    public static ChildMembers Start(int count, IReadOnlyList<string> memberArguments, string? certificatePassword, TextWriter error)
    {
        var children = new ChildMembers(error);
        try
        {
            for (var i = 0; i < count; i++)
            {
                children.StartOne(memberArguments, certificatePassword);
            }
        }
        catch
        {
            children.KillAll();
            throw;
        }
        return children;
    }

    private void StartOne(IReadOnlyList<string> memberArguments, string? certificatePassword)
    {
        var psi = SelfStartInfo();
        if (certificatePassword is not null)
        {
            psi.Environment[PasswordVariable] = certificatePassword;
        }
        psi.ArgumentList.Add("member");
        foreach (var a in memberArguments)
        {
            psi.ArgumentList.Add(a);
        }
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        psi.UseShellExecute = false;
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start a numasim member");
        _processes.Add(process);
        var pid = process.Id;
        process.OutputDataReceived += (_, e) => Forward(pid, e.Data);
        process.ErrorDataReceived += (_, e) => Forward(pid, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void Forward(int pid, string? line)
    {
        if (!string.IsNullOrEmpty(line))
        {
            lock (_error)
            {
                _error.WriteLine($"[member {pid}] {line}");
            }
        }
    }

    /// <summary>This program again: the apphost itself, or `dotnet numasim.dll` when run that way.</summary>
    private static ProcessStartInfo SelfStartInfo()
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var psi = new ProcessStartInfo(self);
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            psi.ArgumentList.Add(Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("no entry assembly"));
        }
        return psi;
    }

    /// <summary>Waits for the members to exit by themselves, then kills what is left: no process outlives the run.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await Task.WhenAll(_processes.Select(p => p.WaitForExitAsync(timeout.Token))).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillAll();
        }
    }

    private void KillAll()
    {
        foreach (var p in _processes)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                    p.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // exited in the meantime
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        foreach (var p in _processes)
        {
            p.Dispose();
        }
    }
}

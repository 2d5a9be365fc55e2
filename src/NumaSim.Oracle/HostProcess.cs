using System.Diagnostics;
using System.Text;

namespace NumaSim.Oracle;

/// <summary>Runs a host tool (gcc, mkfs.ext4, debugfs, xz, qemu) with its arguments as a list, never through a shell.</summary>
public static class HostProcess
{
    /// <summary>Standard output and error together, and the exit code; null exit code when the timeout killed it.</summary>
    public sealed record Outcome(int? ExitCode, string Output, TimeSpan Elapsed);

    /// <exception cref="OracleException">The tool is not installed.</exception>
    public static async Task<Outcome> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancel = default)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        var clock = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new OracleException($"{tool}: cannot run it ({e.Message}); is it installed?", e);
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancel.ThrowIfCancellationRequested();
            return new Outcome(null, Text(output), clock.Elapsed);
        }
        // The asynchronous readers may still hold the last lines: WaitForExit() without a timeout drains them.
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return new Outcome(process.ExitCode, Text(output), clock.Elapsed);
    }

    /// <summary>Runs a tool that must succeed; its output is returned.</summary>
    /// <exception cref="OracleException">It failed or timed out; the message carries the end of its output.</exception>
    public static async Task<string> CheckedAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancel = default)
    {
        var args = arguments.ToList();
        var outcome = await RunAsync(tool, args, timeout, cancel).ConfigureAwait(false);
        if (outcome.ExitCode != 0)
        {
            var why = outcome.ExitCode is null ? $"timed out after {timeout.TotalSeconds:0} s" : $"exit {outcome.ExitCode}";
            throw new OracleException($"{tool} {string.Join(' ', args)}: {why}: {Tail(outcome.Output)}");
        }
        return outcome.Output;
    }

    /// <summary>The last lines of a tool's output, on one line, for an error message.</summary>
    public static string Tail(string output, int lines = 5) =>
        string.Join(" | ", output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines));

    private static void Append(StringBuilder sb, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (sb)
        {
            sb.Append(line).Append('\n');
        }
    }

    private static string Text(StringBuilder sb)
    {
        lock (sb)
        {
            return sb.ToString();
        }
    }
}

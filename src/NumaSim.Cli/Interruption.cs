using System.CommandLine;
using System.Runtime.InteropServices;

namespace NumaSim.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM: the first asks the command to stop cleanly (a run stops at the next round and
/// writes its outputs marked incomplete, then exits 130 or 143); a second one terminates the process at once.
/// System.CommandLine's own handling would end the process two seconds after the first signal, whatever the
/// command was writing, so the commands take this token instead of the one it passes.
/// </summary>
internal static class Interruption
{
    private static readonly CancellationTokenSource Source = new();
    private static int _signal;

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public static CancellationToken Token => Source.Token;

    public static bool Requested => Volatile.Read(ref _signal) != 0;

    /// <summary>128 + the signal, as a shell reports a process the signal ended: 130 for SIGINT, 143 for SIGTERM.</summary>
    public static int ExitCode => 128 + Volatile.Read(ref _signal);

    /// <summary>What summary.json's incomplete_reason says of an interrupted run.</summary>
    public static string Reason => Volatile.Read(ref _signal) == 15 ? "interrupted (SIGTERM)" : "interrupted (SIGINT)";

    public static IDisposable Install() => new Registrations(
        PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnSignal(c, 2)),
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnSignal(c, 15)));

    /// <summary>A command action that gets <see cref="Token"/> in place of System.CommandLine's token.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Handle(Func<ParseResult, CancellationToken, Task<int>> action) =>
        (parse, _) => action(parse, Token);

    private static void OnSignal(PosixSignalContext context, int signal)
    {
        // The first signal is the command's to handle; a second one takes the default action and ends the process.
        if (Interlocked.CompareExchange(ref _signal, signal, 0) == 0)
        {
            context.Cancel = true;
            Source.Cancel();
        }
    }

    private sealed class Registrations(params PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in registrations)
            {
                r.Dispose();
            }
        }
    }
}

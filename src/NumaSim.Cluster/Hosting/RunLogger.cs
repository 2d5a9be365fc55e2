using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace NumaSim.Cluster.Hosting;

/// <summary>
/// Akka's log on standard error, as the standard logger prints it, until the process's run is
/// decided: after that, connections closing as members leave are expected and not reported.
/// A message is printed once however often it repeats (a member retrying a refused handshake would
/// otherwise write hundreds of thousands of lines), and at most <see cref="MaxLines"/> lines in all.
/// One cluster process hosts one actor system, so the switches are the process's.
/// </summary>
public sealed class RunLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    /// <summary>Distinct log lines printed at most; one more says that the rest are left out.</summary>
    public const int MaxLines = 50;

    private static readonly ConcurrentDictionary<string, bool> Printed = new(StringComparer.Ordinal);
    private static volatile bool _quiet;
    private static volatile string? _lastProblem;

    public RunLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e =>
        {
            // One line each: the stack traces of expected connection failures say nothing to a user.
            var cause = e is Error { Cause: { } c } ? $" ({c.GetType().Name}: {c.Message})" : "";
            var text = $"{e.Message}{cause}".ReplaceLineEndings(" ");
            if (e.LogLevel() >= LogLevel.WarningLevel)
            {
                _lastProblem = text;
            }
            if (_quiet || Printed.Count > MaxLines || !Printed.TryAdd(text, true))
            {
                return;
            }
            Console.Error.WriteLine(Printed.Count > MaxLines
                ? $"[INFO][{nameof(RunLogger)}] {MaxLines} distinct log lines printed; the rest are left out"
                : $"[{e.LogLevel().ToString().Replace("Level", "", StringComparison.Ordinal).ToUpperInvariant()}][{e.LogSource}] {text}");
        });
    }

    public static bool Quiet
    {
        get => _quiet;
        set => _quiet = value;
    }

    /// <summary>The last warning or error logged, printed or not: why a member could not join, say.</summary>
    public static string? LastProblem => _lastProblem;
}

using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace NumaSim.Cluster.Hosting;

/// <summary>
/// Akka's log on standard error, as the standard logger prints it, until the process's run is
/// decided: after that, connections closing as members leave are expected and not reported.
/// One cluster process hosts one actor system, so the switch is the process's.
/// </summary>
public sealed class RunLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private static volatile bool _quiet;

    public RunLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e =>
        {
            if (!_quiet)
            {
                // One line each: the stack traces of expected connection failures say nothing to a user.
                var cause = e is Error { Cause: { } c } ? $" ({c.GetType().Name}: {c.Message})" : "";
                Console.Error.WriteLine($"[{e.LogLevel().ToString().Replace("Level", "", StringComparison.Ordinal).ToUpperInvariant()}][{e.LogSource}] {e.Message}{cause}".ReplaceLineEndings(" "));
            }
        });
    }

    public static bool Quiet
    {
        get => _quiet;
        set => _quiet = value;
    }
}

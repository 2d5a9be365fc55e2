using System.Diagnostics;
using Akka.Actor;

namespace NumaSim.Actors.Coordination;

/// <summary>
/// The bare actor system's message rate, measured the same way the simulator runs: two actors in
/// one process, one message in flight. What the simulator's operations/s are compared against.
/// </summary>
public static class PingPong
{
    public static async Task<double> MessagesPerSecondAsync(int roundTrips)
    {
        using var system = ActorSystem.Create("pingpong", "akka.loglevel = WARNING");
        try
        {
            var ponger = system.ActorOf(Props.Create(() => new Ponger()));
            var pinger = system.ActorOf(Props.Create(() => new Pinger(ponger)));
            await pinger.Ask<long>(1_000, TimeSpan.FromMinutes(1)).ConfigureAwait(false); // warm-up
            var clock = Stopwatch.StartNew();
            await pinger.Ask<long>(roundTrips, TimeSpan.FromMinutes(5)).ConfigureAwait(false);
            return 2.0 * roundTrips / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    private sealed class Ponger : ReceiveActor
    {
        public Ponger() => Receive<long>(n => Sender.Tell(n));
    }

    private sealed class Pinger : ReceiveActor
    {
        private IActorRef? _requester;
        private long _left;

        public Pinger(IActorRef ponger)
        {
            Receive<int>(count =>
            {
                _requester = Sender;
                _left = count;
                ponger.Tell(_left);
            });
            Receive<long>(_ =>
            {
                if (--_left > 0)
                {
                    ponger.Tell(_left);
                }
                else
                {
                    _requester!.Tell(0L);
                }
            });
        }
    }
}

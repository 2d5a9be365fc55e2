using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using NumaSim.Actors.Messages;
using NumaSim.Cluster.Hosting;

namespace NumaSim.Cluster.Bench;

/// <summary>One ping of the remote ping-pong; the member's /user/member answers each with a <see cref="Pong"/>.</summary>
public sealed record Ping(long Sequence) : ISimMessage;

public sealed record Pong(long Sequence) : ISimMessage;

/// <summary>
/// Bare Akka.Remote round trips per second between this process and a member on loopback, over
/// the same transport, TLS and serializer as a run, with up to <c>window</c> pings in flight:
/// what the simulator's 2-process operations/s are compared against.
/// </summary>
public static class RemotePingPong
{
    public static async Task<double> RoundTripsPerSecondAsync(ActorSystem system, Member member, int roundTrips, int window)
    {
        var target = await system.ActorSelection(new RootActorPath(member.Address) / "user" / "member")
            .ResolveOne(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var pinger = system.ActorOf(Props.Create(() => new Pinger(target, window)));
        await pinger.Ask<long>(Math.Min(roundTrips, 5_000), TimeSpan.FromMinutes(1)).ConfigureAwait(false); // warm-up
        var clock = Stopwatch.StartNew();
        await pinger.Ask<long>(roundTrips, TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        var rate = roundTrips / clock.Elapsed.TotalSeconds;
        system.Stop(pinger);
        return rate;
    }

    private sealed class Pinger : ReceiveActor
    {
        private IActorRef? _requester;
        private long _sent;
        private long _received;
        private long _total;

        public Pinger(IActorRef ponger, int window)
        {
            Receive<int>(count =>
            {
                _requester = Sender;
                _sent = _received = 0;
                _total = count;
                while (_sent < Math.Min(window, _total))
                {
                    ponger.Tell(new Ping(_sent++));
                }
            });
            Receive<Pong>(_ =>
            {
                if (++_received == _total)
                {
                    _requester!.Tell(_received);
                }
                else if (_sent < _total)
                {
                    ponger.Tell(new Ping(_sent++));
                }
            });
        }
    }
}

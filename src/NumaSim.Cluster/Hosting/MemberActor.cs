using Akka.Actor;
using Akka.Cluster;
using NumaSim.Actors.Nodes;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Cluster.Hosting;

/// <summary>
/// /user/member on every process of the cluster: creates the NUMA nodes the coordinator places
/// here, and, in a member process, ends it when the run is over or the coordinator is gone.
/// </summary>
public sealed class MemberActor : ReceiveActor
{
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly Action<int, string?>? _exit;
    private readonly List<IActorRef> _hosted = [];
    private int _runs;

    /// <param name="exit">Ends this member process with an exit code and a line for standard error; null in the coordinator's process.</param>
    /// <param name="warmed">This process's <see cref="Serialization.SerializerWarmup"/>: nodes are hosted once it is done, so that a run's
    /// first rounds do not compile formatters.</param>
    public MemberActor(Action<int, string?>? exit, Task warmed)
    {
        _exit = exit;
        ReceiveAsync<HostNodes>(async request =>
        {
            await warmed.ConfigureAwait(true);
            Host(request);
        });
        Receive<EndMember>(_ => _exit?.Invoke(0, null));
        Receive<Bench.Ping>(ping => Sender.Tell(new Bench.Pong(ping.Sequence)));
        Receive<ClusterEvent.UnreachableMember>(e => Lost(e.Member, "unreachable"));
        Receive<ClusterEvent.MemberRemoved>(e =>
        {
            if (e.Member.Address == _cluster.SelfAddress)
            {
                _exit?.Invoke(1, "numasim member: removed from the cluster");
                return;
            }
            Lost(e.Member, "left the cluster");
        });
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    public static Props Props(Action<int, string?>? exit, Task warmed) => Akka.Actor.Props.Create(() => new MemberActor(exit, warmed));

    protected override void PreStart()
    {
        if (_exit is not null)
        {
            _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.MemberRemoved));
        }
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Lost(Member member, string how)
    {
        if (member.HasRole(ClusterSettings.CoordinatorRole))
        {
            _exit?.Invoke(1, $"numasim member: the coordinator {member.Address} {how}; exiting");
        }
    }

    private void Host(HostNodes request)
    {
        var address = _cluster.SelfAddress.ToString();
        try
        {
            var scenario = request.Source.Load();
            var setup = scenario.AllocatorSetup();
            // A new run replaces the last one's nodes (a cluster may carry runs one after another).
            foreach (var old in _hosted)
            {
                Context.Stop(old);
            }
            _hosted.Clear();
            _runs++;
            var nodes = new SortedDictionary<int, IActorRef>();
            foreach (var node in request.Nodes)
            {
                nodes[node] = Context.ActorOf(NodeActor.Props(node, scenario, setup), $"run-{_runs}-node-{node}");
                _hosted.Add(nodes[node]);
            }
            Sender.Tell(new NodesHosted(Environment.ProcessId, address, nodes));
        }
        catch (Exception e) when (e is FormatException or IOException or Workloads.Config.ConfigException or ArgumentException or InvalidOperationException)
        {
            Sender.Tell(new HostingFailed(address, e.Message));
        }
    }
}

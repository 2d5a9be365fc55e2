using Akka.Actor;
using Akka.Cluster;
using NumaSim.Model.Snapshots;
using NumaSim.Results;

namespace NumaSim.Cluster.Hosting;

/// <summary>
/// In the coordinator's process: the cluster's failure detector says a member holding nodes is
/// unreachable (or it left): the run cannot finish, and the constructor's <c>lost</c> task completes with a line naming it.
/// </summary>
public sealed class MemberLossWatcher : ReceiveActor
{
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);

    public MemberLossWatcher(IReadOnlyList<MemberInfo> members, TaskCompletionSource<string> lost)
    {
        var byAddress = members.ToDictionary(m => m.Address, StringComparer.Ordinal);
        void Check(Member member, string how)
        {
            if (byAddress.TryGetValue(member.Address.ToString(), out var info))
            {
                lost.TrySetResult($"member {info.Address} (pid {info.Pid}, nodes {string.Join(",", info.Nodes)}) lost: {how}");
            }
        }
        Receive<ClusterEvent.UnreachableMember>(e => Check(e.Member, "unreachable"));
        Receive<ClusterEvent.MemberRemoved>(e => Check(e.Member, "removed from the cluster"));
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    public static Props Props(IReadOnlyList<MemberInfo> members, TaskCompletionSource<string> lost) =>
        Akka.Actor.Props.Create(() => new MemberLossWatcher(members, lost));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => _cluster.Unsubscribe(Self);
}

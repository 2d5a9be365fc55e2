using Akka.Actor;
using NumaSim.Actors.Messages;

namespace NumaSim.Cluster.Hosting;

/// <summary>The coordinator asks a member to create these NUMA nodes of the scenario.</summary>
public sealed record HostNodes(ScenarioSource Source, int[] Nodes) : ISimMessage;

/// <summary>A member's answer: who it is and its NodeActors.</summary>
public sealed record NodesHosted(int Pid, string Address, IReadOnlyDictionary<int, IActorRef> Nodes) : ISimMessage;

/// <summary>A member could not build the scenario.</summary>
public sealed record HostingFailed(string Address, string Reason) : ISimMessage;

/// <summary>The run is over: the member leaves the cluster and its process exits.</summary>
public sealed record EndMember : ISimMessage
{
    public static EndMember Instance { get; } = new();
}

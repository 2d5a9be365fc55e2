namespace NumaSim.Actors.Observation;

/// <summary>
/// Something a scenario test may want to see happen, published on the actor system's event stream when the
/// scenario asks for it (<see cref="Workloads.Scenarios.Scenario.Observed"/>): a test subscribes a TestProbe and
/// expects these in simulated time. Off, nothing is built or published.
/// </summary>
public abstract record SimObservation(long SimulatedNs, int Cpu);

/// <summary>A page allocation a CPU got from a zone of another node (a numa_miss for the preferred node).</summary>
public sealed record RemoteAllocationServed(long SimulatedNs, int Cpu, int CpuNode, int ZoneNode, long Pfn, int Order)
    : SimObservation(SimulatedNs, Cpu);

/// <summary>A TLB-shootdown IPI served by <paramref name="Cpu"/>, sent by <paramref name="FromCpu"/>.</summary>
public sealed record IpiReceived(long SimulatedNs, int Cpu, int FromCpu, int Distance, int Pages)
    : SimObservation(SimulatedNs, Cpu);

/// <summary>A demand fault of a task that mapped a page (or a huge page) on <paramref name="Node"/>.</summary>
public sealed record PageFaulted(long SimulatedNs, int Cpu, int Task, long VirtualAddress, int Node, bool Huge)
    : SimObservation(SimulatedNs, Cpu);

/// <summary>What the simulated kernel printed as an error: a slab-debug report, a sleeping allocation in atomic
/// context, a page allocation failure, a segfault; <paramref name="Kind"/> as summary.json `errors` names it.</summary>
public sealed record KernelReported(long SimulatedNs, int Cpu, string Kind, string Message, string? Cache)
    : SimObservation(SimulatedNs, Cpu);

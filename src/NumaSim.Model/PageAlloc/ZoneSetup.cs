using NumaSim.Model.Topology;

namespace NumaSim.Model.PageAlloc;

/// <summary>The boot-time constants of one populated zone: watermarks, protection, pcp sizing.</summary>
public sealed record ZoneSetup(
    int Index,
    int Node,
    ZoneSpec Spec,
    ZoneWatermarks Watermarks,
    IReadOnlyList<long> LowmemReserve,
    int PcpBatch,
    int PcpHighMin,
    int PcpHighMax,
    int StatThreshold);

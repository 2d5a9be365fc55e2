using NumaSim.Model.Topology;

namespace NumaSim.Cli;

/// <summary>
/// The host memory a machine takes to simulate, estimated from its spanned pages before anything boots: a topology
/// that passes validation may still need more than this machine has (sixteen nodes of 7 TiB need some 40 GiB), and
/// finding out by running out of memory mid-boot takes minutes and ends in a crash.
/// </summary>
internal static class HostMemoryCheck
{
    /// <summary>Host bytes per simulated page: the buddy allocator's bitmaps and lists, measured on the 1 TiB
    /// eight-node machine (about 1.3 bytes a page; `numasim bench` reports it), rounded down so that only
    /// machines clearly beyond this one are refused.</summary>
    private const double BytesPerPage = 1.25;

    /// <summary>The process itself, the runtime and Akka, before any page.</summary>
    private const long BaseBytes = 100L << 20;

    public static string? Problem(MachineTopology topology)
    {
        var spanned = topology.Nodes.SelectMany(n => n.Zones).Sum(z => z.Spanned);
        var needed = BaseBytes + (long)(spanned * BytesPerPage);
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return needed <= available
            ? null
            : $"the machine spans {spanned} pages: simulating it needs about {needed >> 30} GiB of memory, and this machine has {available >> 30} GiB";
    }
}

using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Actors.Tests;

/// <summary>Small machines for actor tests.</summary>
internal static class TestMachines
{
    /// <summary>Two nodes (CPUs 0-1 and 2-3), one Normal zone each of the given managed size.</summary>
    public static MachineTopology TwoNodes(long managedPages = 16384) =>
        new("test-two-node", Architecture.X86_64,
        [
            new NodeSpec(0, [0, 1], [new ZoneSpec(ZoneType.Normal, 1 << 20, managedPages, managedPages, managedPages)]),
            new NodeSpec(1, [2, 3], [new ZoneSpec(ZoneType.Normal, 2 << 20, managedPages, managedPages, managedPages)]),
        ],
        [[10, 20], [20, 10]],
        VmTunables.Default);

    public static int Node0Normal => ZoneIndex.Of(0, ZoneType.Normal);

    public static ZoneRequest OrderZero(int zone, int count, AllocFlags flags = AllocFlags.WmarkLow) =>
        new(zone, 0, MigrateType.Unmovable, count, flags, (int)ZoneType.Normal);
}

using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Tests.Support;

/// <summary>Small machines the tests share.</summary>
internal static class Machines
{
    public const long NormalBase = 0x100000;

    /// <summary>Node 0 (CPUs 0-1) and node 1 (CPUs 2-3), one Normal zone each, SLIT 10/20.</summary>
    public static MachineTopology TwoNodeNormal(long pagesPerNode = 8192) => new(
        "two-node",
        Architecture.X86_64,
        [
            new NodeSpec(0, [0, 1], [new ZoneSpec(ZoneType.Normal, NormalBase, pagesPerNode, pagesPerNode, pagesPerNode)]),
            new NodeSpec(1, [2, 3], [new ZoneSpec(ZoneType.Normal, 2 * NormalBase, pagesPerNode, pagesPerNode, pagesPerNode)]),
        ],
        [[10, 20], [20, 10]],
        VmTunables.Default);

    /// <summary>One node, CPUs 0-1, small DMA, DMA32 and Normal zones.</summary>
    public static MachineTopology OneNodeThreeZones() => new(
        "three-zones",
        Architecture.X86_64,
        [
            new NodeSpec(0, [0, 1],
            [
                new ZoneSpec(ZoneType.Dma, 1, 4095, 3998, 3840),
                new ZoneSpec(ZoneType.Dma32, 4096, 16384, 16384, 16384),
                new ZoneSpec(ZoneType.Normal, NormalBase, 16384, 16384, 16384),
            ]),
        ],
        [[10]],
        VmTunables.Default);

    /// <summary>Node 0 (CPUs 0-1) with DMA and DMA32, node 1 (CPUs 2-3) with Normal: odd sizes, holes, reserved pages.</summary>
    public static MachineTopology MixedTwoNode() => new(
        "mixed",
        Architecture.X86_64,
        [
            new NodeSpec(0, [0, 1],
            [
                new ZoneSpec(ZoneType.Dma, 1, 4095, 3998, 3840),
                new ZoneSpec(ZoneType.Dma32, 4096, 8192, 8000, 7901),
            ]),
            new NodeSpec(1, [2, 3], [new ZoneSpec(ZoneType.Normal, NormalBase + 3, 12285, 12285, 12000)]),
        ],
        [[10, 21], [21, 10]],
        VmTunables.Default);

    /// <summary>The machine behind tests/data/reference/procfs-6.18 (one node, 2 CPUs).</summary>
    public static MachineTopology Reference618() => new(
        "reference-6.18",
        Architecture.X86_64,
        [
            new NodeSpec(0, [0, 1],
            [
                new ZoneSpec(ZoneType.Dma, 1, 4095, 3998, 3840),
                new ZoneSpec(ZoneType.Dma32, 4096, 1044480, 782336, 772808),
                new ZoneSpec(ZoneType.Normal, 1048576, 5505024, 5505024, 458752),
            ]),
        ],
        [[10]],
        VmTunables.Default);

    /// <summary>One boot's state of the fidelity machine's two DMA32 zones: managed, in use, per-CPU lists, watermarks.</summary>
    public sealed record FidelityBoot(long Managed0, long InUse0, int[] Pcp0, ZoneMarks Marks0, long Managed1, long InUse1, int[] Pcp1, ZoneMarks Marks1);

    /// <summary>The boot of the 768 MiB read (zoneinfo just before the task).</summary>
    public static readonly FidelityBoot Read768Boot = new(
        124815, 5655, [650, 888], new ZoneMarks(6202, 7752, 9302, 10852), 118804, 6289, [197, 2388], new ZoneMarks(5786, 7232, 8678, 10124));

    /// <summary>The boot of the 1200 MiB read.</summary>
    public static readonly FidelityBoot Read1200Boot = new(
        115260, 8338, [1437, 2155], new ZoneMarks(5642, 7052, 8462, 9872), 128359, 5225, [1722, 433], new ZoneMarks(6346, 7932, 9518, 11104));

    /// <summary>The boot of the 320 MiB read followed by 256 MiB of anonymous memory.</summary>
    public static readonly FidelityBoot Read320AnonBoot = new(
        115260, 8107, [3572, 44], new ZoneMarks(5642, 7052, 8462, 9872), 128359, 6038, [894, 1798], new ZoneMarks(6346, 7932, 9518, 11104));

    /// <summary>
    /// The fidelity machine (2 nodes of 512 MiB, one CPU each, SLIT 10/21) as the 6.12 kernel under QEMU had it
    /// just before a task ran: zones, pages in use, per-CPU lists and watermarks from that boot's zoneinfo (how
    /// much the kernel manages on each node moves from boot to boot).
    /// </summary>
    public static MachineTopology FidelityTwoNode(FidelityBoot boot) => new(
        "fidelity-two-node",
        Architecture.X86_64,
        [
            new NodeSpec(0, [0],
            [
                new ZoneSpec(ZoneType.Dma, 1, 4095, 3998, 3840) { InUse = 32, Watermarks = new ZoneMarks(190, 237, 284, 331) },
                new ZoneSpec(ZoneType.Dma32, 4096, 126976, 126976, boot.Managed0) { InUse = boot.InUse0, PcpPages = boot.Pcp0, Watermarks = boot.Marks0 },
            ]),
            new NodeSpec(1, [1],
            [
                new ZoneSpec(ZoneType.Dma32, 131072, 131036, 131036, boot.Managed1) { InUse = boot.InUse1, PcpPages = boot.Pcp1, Watermarks = boot.Marks1 },
            ]),
        ],
        [[10, 21], [21, 10]],
        VmTunables.Default);

    /// <summary>Free blocks per order, as /proc/buddyinfo prints them.</summary>
    public static long[] BuddyInfo(BuddyZone zone) => [.. Enumerable.Range(0, zone.Orders).Select(zone.FreeBlocksAtOrder)];

    /// <summary>Free blocks per (migratetype, order), as pagetypeinfo prints them.</summary>
    public static long[] PageTypeInfo(BuddyZone zone) =>
        [.. Enumerable.Range(0, MigrateTypes.Count).SelectMany(t => Enumerable.Range(0, zone.Orders).Select(o => zone.FreeBlocks(o, (MigrateType)t)))];

    public static long PagesOnFreeLists(BuddyZone zone) =>
        Enumerable.Range(0, zone.Orders).Sum(o => zone.FreeBlocksAtOrder(o) << o);

    /// <summary>Pageblocks that intersect the present part [EndPfn - Present, EndPfn).</summary>
    public static long PresentPageblocks(ZoneSpec spec, int pageblockOrder) =>
        spec.Present == 0 ? 0 : ((spec.EndPfn - 1) >> pageblockOrder) - ((spec.EndPfn - spec.Present) >> pageblockOrder) + 1;
}

using NumaSim.Model.Topology;

namespace NumaSim.Workloads.Config;

/// <summary>Reads and validates `numasim.topology { ... }`: one clear error per problem.</summary>
public static class TopologyLoader
{
    private const long PagesReservedDivisor = 64;

    public static MachineTopology Load(ConfigNode topo)
    {
        if (!topo.IsObject)
        {
            throw topo.Error("expected a topology object { nodes = [...], distance = [...] }");
        }
        topo.OnlyKeys("name", "architecture", "page-size", "paging-levels", "nodes", "distance", "vm", "swap");
        var arch = LoadArchitecture(topo);
        var nodeNodes = topo.Child("nodes").Elements();
        if (nodeNodes.Count == 0)
        {
            throw topo.Child("nodes").Error("at least one node is needed");
        }
        var nodes = new List<NodeSpec>();
        var cpuOwner = new Dictionary<int, int>();
        var zones = new List<(ZoneSpec Zone, ConfigNode Where)>();
        var nextPfn = 1L;
        for (var i = 0; i < nodeNodes.Count; i++)
        {
            var node = nodeNodes[i];
            node.OnlyKeys("id", "cpus", "zones", "memory", "access");
            var id = node.Child("id").Int(0, 4095, i);
            if (id != i)
            {
                throw node.Child("id").Error($"nodes must be listed in id order 0..{nodeNodes.Count - 1}; expected {i}, found {id}");
            }
            var cpus = LoadCpus(node.Child("cpus"), id, cpuOwner);
            var nodeZones = node.Child("zones").Exists
                ? LoadZones(node.Child("zones"), arch, zones)
                : LayOutMemory(node, arch, ref nextPfn, zones);
            nextPfn = Math.Max(nextPfn, nodeZones.Count > 0 ? nodeZones.Max(z => z.EndPfn) : nextPfn);
            nodes.Add(new NodeSpec(id, cpus, nodeZones) { Access = LoadAccess(node.Child("access")) });
        }
        var cpuIds = cpuOwner.Count == 0 ? 0 : cpuOwner.Keys.Max() + 1;
        foreach (var (zone, where) in zones.Where(z => z.Zone.PcpPages.Count > cpuIds))
        {
            throw where.Child("pcp-pages").Error($"lists {zone.PcpPages.Count} CPUs; the machine has CPU ids 0..{cpuIds - 1}");
        }
        var distance = LoadDistance(topo.Child("distance"), nodes.Count);
        var vm = LoadVm(topo.Child("vm"));
        return new MachineTopology(topo.Child("name").String("unnamed"), arch, nodes, distance, vm) { SwapBytes = LoadSwap(topo.Child("swap"), arch) };
    }

    /// <summary>`swap = 1G`: one swap area of that size (0, the default: none); mkswap needs its header page and one more.</summary>
    private static long LoadSwap(ConfigNode swap, Architecture arch)
    {
        if (!swap.Exists)
        {
            return 0;
        }
        var bytes = swap.Bytes();
        if (bytes != 0 && bytes < 2L * arch.PageSize)
        {
            throw swap.Error($"a swap area needs at least 2 pages ({2 * arch.PageSize} bytes), or 0 for none");
        }
        return bytes;
    }

    private static Architecture LoadArchitecture(ConfigNode topo)
    {
        var name = topo.Child("architecture").String("x86_64");
        var pageSize = (int)topo.Child("page-size").Long(4096);
        var levels = topo.Child("paging-levels");
        if (levels.Exists && (name != "x86_64" || levels.Int(4, 5) is not (4 or 5)))
        {
            throw levels.Error("only x86_64 chooses its paging levels (4, or 5 with LA57); arm64's follow the granule");
        }
        return LoadArchitecture(topo, name, pageSize) with { FiveLevelPaging = levels.Exists && levels.Int(4, 5) == 5 };
    }

    private static Architecture LoadArchitecture(ConfigNode topo, string name, int pageSize)
    {
        return name switch
        {
            "x86_64" when pageSize == 4096 => Architecture.X86_64,
            "x86_64" => throw topo.Child("page-size").Error($"x86_64 has 4096-byte base pages, found {pageSize}"),
            "arm64" when pageSize is 4096 or 16384 or 65536 => Architecture.ForPageSize("arm64", pageSize),
            "arm64" => throw topo.Child("page-size").Error($"arm64 granules are 4096, 16384 or 65536 bytes, found {pageSize}"),
            _ => throw topo.Child("architecture").Error($"expected x86_64 or arm64, found \"{name}\""),
        };
    }

    private static IReadOnlyList<int> LoadCpus(ConfigNode cpusNode, int node, Dictionary<int, int> owner)
    {
        var text = cpusNode.String("");
        if (!CpuList.TryParse(text, out var cpus))
        {
            throw cpusNode.Error($"expected a cpulist such as \"0-3,8\", found \"{text}\"");
        }
        foreach (var cpu in cpus)
        {
            if (owner.TryGetValue(cpu, out var other))
            {
                throw cpusNode.Error($"CPU {cpu} is already on node {other}; a CPU belongs to one node");
            }
            owner[cpu] = node;
        }
        return cpus;
    }

    private static List<ZoneSpec> LoadZones(ConfigNode zonesNode, Architecture arch, List<(ZoneSpec Zone, ConfigNode Where)> all)
    {
        var result = new List<ZoneSpec>();
        foreach (var z in zonesNode.Elements())
        {
            z.OnlyKeys("type", "start-pfn", "spanned", "present", "managed", "in-use", "pcp-pages", "watermarks");
            var typeName = z.Child("type").String();
            if (!ZoneTypes.TryParse(typeName, out var type) || type == ZoneType.Device)
            {
                throw z.Child("type").Error($"expected DMA, DMA32, Normal or Movable, found \"{typeName}\"");
            }
            if (result.Any(r => r.Type >= type))
            {
                throw z.Child("type").Error("zones of a node must be listed once each, lowest first (DMA, DMA32, Normal, Movable)");
            }
            var start = z.Child("start-pfn").Long();
            var spanned = z.Child("spanned").Long();
            var present = z.Child("present").Long(spanned);
            var managed = z.Child("managed").Long(present);
            if (start < 0 || spanned <= 0 || spanned > int.MaxValue)
            {
                throw z.Child("spanned").Error($"a zone spans 1 to {int.MaxValue} pages from a PFN >= 0");
            }
            if (start > MaxPhysPfn(arch) - spanned)
            {
                // MAX_PHYSMEM_BITS (52 with 5-level paging): no PFN beyond it, and start + spanned cannot wrap.
                throw z.Child("start-pfn").Error($"the zone ends beyond PFN {MaxPhysPfn(arch)} (MAX_PHYSMEM_BITS {MaxPhysmemBits})");
            }
            if (present < 0 || present > spanned)
            {
                throw z.Child("present").Error($"present ({present}) must be between 0 and spanned ({spanned})");
            }
            if (managed < 0 || managed > present)
            {
                throw z.Child("managed").Error($"managed ({managed}) must be between 0 and present ({present})");
            }
            var inUse = z.Child("in-use").Long(0);
            if (inUse < 0 || inUse > managed)
            {
                throw z.Child("in-use").Error($"in-use ({inUse}) must be between 0 and managed ({managed})");
            }
            var pcpPages = z.Child("pcp-pages").Exists ? z.Child("pcp-pages").Elements().Select(e => e.Int(0, int.MaxValue)).ToList() : [];
            if (pcpPages.Sum(p => (long)p) > inUse)
            {
                throw z.Child("pcp-pages").Error($"the pages on per-CPU lists ({pcpPages.Sum(p => (long)p)}) are part of in-use ({inUse}) and cannot exceed it");
            }
            var spec = new ZoneSpec(type, start, spanned, present, managed) { InUse = inUse, PcpPages = pcpPages, Watermarks = LoadMarks(z.Child("watermarks")) };
            if (arch.ZoneLimitPfn(type) is { } limit && spec.EndPfn > limit)
            {
                throw z.Child("spanned").Error($"zone {type.KernelName()} ends at PFN {spec.EndPfn}, beyond its architectural limit {limit} ({(limit << arch.PageShift) >> 20} MiB)");
            }
            CheckOverlap(spec, z, all);
            result.Add(spec);
        }
        return result;
    }

    /// <summary>`watermarks { min, low, high, promo }`: a snapshot's, in pages, each at least the one before.</summary>
    private static ZoneMarks? LoadMarks(ConfigNode marks)
    {
        if (!marks.Exists)
        {
            return null;
        }
        marks.OnlyKeys("min", "low", "high", "promo");
        var values = new long[4];
        string[] keys = ["min", "low", "high", "promo"];
        for (var i = 0; i < keys.Length; i++)
        {
            values[i] = marks.Child(keys[i]).Long();
            if (values[i] < (i == 0 ? 0 : values[i - 1]))
            {
                throw marks.Child(keys[i]).Error(i == 0 ? "must be 0 or more" : $"must be at least {keys[i - 1]} ({values[i - 1]})");
            }
        }
        return new ZoneMarks(values[0], values[1], values[2], values[3]);
    }

    /// <summary>MAX_PHYSMEM_BITS on x86-64 with 5-level paging, the widest physical address any supported machine has.</summary>
    private const int MaxPhysmemBits = 52;

    private static long MaxPhysPfn(Architecture arch) => 1L << (MaxPhysmemBits - arch.PageShift);

    /// <summary>`access { read-latency, write-latency, read-bandwidth, write-bandwidth }`: HMAT's figures, in ns and MB/s as sysfs gives them.</summary>
    private static NodeAccess? LoadAccess(ConfigNode access)
    {
        if (!access.Exists)
        {
            return null;
        }
        access.OnlyKeys("read-latency", "write-latency", "read-bandwidth", "write-bandwidth");
        long Positive(string key)
        {
            var value = access.Child(key).Long();
            return value > 0 ? value : throw access.Child(key).Error("must be greater than 0");
        }
        return new NodeAccess(Positive("read-latency"), Positive("write-latency"), Positive("read-bandwidth"), Positive("write-bandwidth"));
    }

    private static void CheckOverlap(ZoneSpec spec, ConfigNode where, List<(ZoneSpec Zone, ConfigNode Where)> all)
    {
        foreach (var (other, otherWhere) in all)
        {
            if (spec.StartPfn < other.EndPfn && other.StartPfn < spec.EndPfn)
            {
                throw where.Child("start-pfn").Error(
                    $"PFN range [{spec.StartPfn}, {spec.EndPfn}) overlaps {other.Type.KernelName()} [{other.StartPfn}, {other.EndPfn}) at {otherWhere.Path}");
            }
        }
        all.Add((spec, where));
    }

    /// <summary>`memory = 8G`: the node's PFNs follow the previous node's, cut at the zone limits.</summary>
    private static List<ZoneSpec> LayOutMemory(ConfigNode node, Architecture arch, ref long nextPfn, List<(ZoneSpec Zone, ConfigNode Where)> all)
    {
        var memory = node.Child("memory");
        if (!memory.Exists)
        {
            throw node.Error("a node needs either zones = [...] or memory = SIZE");
        }
        var pages = memory.Bytes() >> arch.PageShift;
        if (pages < 1 || pages > 64L * int.MaxValue)
        {
            throw memory.Error("a node needs at least one page");
        }
        var result = new List<ZoneSpec>();
        var start = nextPfn;
        var end = start + pages;
        foreach (var type in new[] { ZoneType.Dma, ZoneType.Dma32, ZoneType.Normal })
        {
            var limit = arch.ZoneLimitPfn(type) ?? long.MaxValue;
            var zoneEnd = Math.Min(end, limit);
            if (zoneEnd <= start)
            {
                continue;
            }
            var spanned = zoneEnd - start;
            if (spanned > int.MaxValue)
            {
                throw memory.Error($"a zone may span at most {int.MaxValue} pages");
            }
            var spec = new ZoneSpec(type, start, spanned, spanned, spanned - (spanned + PagesReservedDivisor - 1) / PagesReservedDivisor);
            CheckOverlap(spec, node, all);
            result.Add(spec);
            start = zoneEnd;
        }
        nextPfn = end;
        return result;
    }

    private static int[][] LoadDistance(ConfigNode distanceNode, int nodes)
    {
        if (!distanceNode.Exists)
        {
            if (nodes == 1)
            {
                return [[MachineTopology.LocalDistance]];
            }
            throw distanceNode.Error($"missing: a {nodes}x{nodes} distance matrix is needed");
        }
        var rows = distanceNode.Elements();
        if (rows.Count != nodes)
        {
            throw distanceNode.Error($"has {rows.Count} rows, expected {nodes} (one per node)");
        }
        var matrix = new int[nodes][];
        for (var i = 0; i < nodes; i++)
        {
            var cells = rows[i].Elements();
            if (cells.Count != nodes)
            {
                throw rows[i].Error($"row {i} has {cells.Count} entries, expected {nodes}: the matrix must be square");
            }
            matrix[i] = new int[nodes];
            for (var j = 0; j < nodes; j++)
            {
                var d = cells[j].Int(0, 255);
                if (i == j && d != MachineTopology.LocalDistance)
                {
                    throw cells[j].Error($"distance from node {i} to itself must be 10, found {d}");
                }
                if (i != j && d <= MachineTopology.LocalDistance)
                {
                    throw cells[j].Error($"distance from node {i} to node {j} must be greater than 10, found {d}");
                }
                matrix[i][j] = d;
            }
        }
        return matrix;
    }

    private static VmTunables LoadVm(ConfigNode vm)
    {
        var d = VmTunables.Default;
        if (!vm.Exists)
        {
            return d;
        }
        vm.OnlyKeys("min-free-kbytes", "watermark-scale-factor", "thp-min-free", "lowmem-reserve-ratio", "percpu-pagelist-high-fraction");
        var minFreeNode = vm.Child("min-free-kbytes");
        long? minFree = !minFreeNode.Exists || minFreeNode.String() == "auto" ? null : minFreeNode.Long();
        if (minFree is < 128)
        {
            throw minFreeNode.Error("must be auto or at least 128");
        }
        var ratios = vm.Child("lowmem-reserve-ratio").Exists
            ? vm.Child("lowmem-reserve-ratio").Elements().Select(e => e.Int(0, 1 << 20)).ToList()
            : [.. d.LowmemReserveRatio];
        if (ratios.Count != 5)
        {
            throw vm.Child("lowmem-reserve-ratio").Error($"expected 5 ratios (DMA, DMA32, Normal, Movable, Device), found {ratios.Count}");
        }
        var fraction = vm.Child("percpu-pagelist-high-fraction").Int(0, 1 << 20, d.PercpuPagelistHighFraction);
        if (fraction is > 0 and < 8)
        {
            throw vm.Child("percpu-pagelist-high-fraction").Error("must be 0 or at least 8");
        }
        return new VmTunables(
            minFree,
            vm.Child("watermark-scale-factor").Int(1, 3000, d.WatermarkScaleFactor),
            vm.Child("thp-min-free").Bool(d.ThpRecommendedMinFree),
            ratios,
            fraction);
    }
}

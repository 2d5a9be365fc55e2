using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Kernel;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Workloads.Config;

/// <summary>
/// Loads a scenario file over reference.conf's defaults: `numasim.seed`, `.topology` (a shipped
/// name, a file, or an object), `.latency`, `.sim`, `.workload`. Every problem is a
/// <see cref="ConfigException"/> naming the file, line and key.
/// </summary>
public static class ScenarioLoader
{
    private static readonly string[] RootKeys = ["seed", "topology", "latency", "sim", "sysctl", "workload", "tlb", "slab", "cluster", "telemetry"];

    /// <summary>
    /// Loads <paramref name="scenarioPath"/> (a file, or a shipped scenario's name; null: the default scenario), on the
    /// machine of <paramref name="topologyPath"/> (a file or a shipped topology's name) or of the scenario.
    /// </summary>
    public static Scenario Load(string? scenarioPath, string? topologyPath = null, MachineTopology? topologyOverride = null, long? seedOverride = null)
    {
        var path = ShippedConfig.ResolveScenario(scenarioPath);
        return Load(HoconFile.Load(path), path, topologyPath is null ? null : ShippedConfig.ResolveTopology(topologyPath), topologyOverride, seedOverride);
    }

    /// <summary>
    /// A scenario given as HOCON text rather than a file (as a test writes one); <paramref name="name"/> is the
    /// scenario's name and what errors call the text, and a topology file it names is looked for from the
    /// current directory.
    /// </summary>
    public static Scenario LoadText(string name, string hocon, MachineTopology? topologyOverride = null, long? seedOverride = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(hocon);
        return Load(HoconFile.Parse(name, hocon), Path.Combine(System.IO.Directory.GetCurrentDirectory(), name), null, topologyOverride, seedOverride);
    }

    private static Scenario Load(HoconFile file, string path, string? topologyPath, MachineTopology? topologyOverride, long? seedOverride)
    {
        var reference = HoconFile.Parse("reference.conf", ShippedConfig.ReferenceConfText());
        foreach (var key in file.Config.Root.GetObject().Items.Keys.Where(k => k != "numasim"))
        {
            throw ConfigNode.Root(file, key).Error("unknown key: settings live under numasim { ... }");
        }
        var root = ConfigNode.Root(file, "numasim");
        if (root.Exists && !root.IsObject)
        {
            // Child() of a non-object finds nothing: the scenario would silently be the defaults.
            throw root.Error("expected an object numasim { ... }");
        }
        root.OnlyKeys(RootKeys);
        var seed = seedOverride ?? root.Child("seed").Long(ConfigNode.Root(reference, "numasim.seed").Long());
        var topology = topologyOverride
            ?? (topologyPath is not null ? LoadTopologyFile(topologyPath) : LoadTopology(root.Child("topology"), path, reference));
        var latency = LoadLatency(root.Child("latency"), ConfigNode.Root(reference, "numasim.latency"));
        var sim = root.Child("sim");
        sim.OnlyKeys("quantum", "max-time");
        var workload = root.Child("workload");
        workload.OnlyKeys("streams", "tasks", "kernel", "script", "faults");
        var tasks = TaskLoader.Load(workload.Child("tasks"), topology);
        var sysctl = SysctlLoader.Load(root.Child("sysctl"), topology);
        return new Scenario(
            Path.GetFileNameWithoutExtension(path),
            seed,
            topology,
            latency,
            sim.Child("quantum").Nanoseconds(0),
            sim.Child("max-time").Nanoseconds(0),
            LoadStreams(workload, topology))
        {
            Tlb = LoadTlb(root.Child("tlb"), ConfigNode.Root(reference, "numasim.tlb")),
            Tasks = tasks,
            Sysctl = sysctl,
            NotModelled = [.. SysctlLoader.NotModelled(sysctl)],
            Kernel = KernelLoader.Load(root.Child("slab"), workload, topology),
            Faults = FaultLoader.Load(workload.Child("faults"), topology),
            Cluster = ClusterLoader.Load(root.Child("cluster"), topology),
        };
    }

    /// <summary>The machine reference.conf describes (numasim.topology): what a command uses when given none.</summary>
    public static MachineTopology LoadReferenceTopology() =>
        TopologyLoader.Load(ConfigNode.Root(HoconFile.Parse("reference.conf", ShippedConfig.ReferenceConfText()), "numasim.topology"));

    /// <summary>reference.conf's numasim.seed.</summary>
    public static long ReferenceSeed() =>
        ConfigNode.Root(HoconFile.Parse("reference.conf", ShippedConfig.ReferenceConfText()), "numasim.seed").Long();

    public static MachineTopology LoadTopologyFile(string path)
    {
        var file = HoconFile.Load(path);
        var node = ConfigNode.Root(file, "numasim.topology");
        if (!node.Exists)
        {
            throw ConfigNode.Root(file, "numasim").Error("a topology file must hold numasim.topology { ... }");
        }
        return TopologyLoader.Load(node);
    }

    private static MachineTopology LoadTopology(ConfigNode topo, string scenarioPath, HoconFile reference)
    {
        if (!topo.Exists)
        {
            return TopologyLoader.Load(ConfigNode.Root(reference, "numasim.topology"));
        }
        if (topo.IsObject)
        {
            return TopologyLoader.Load(topo);
        }
        var name = topo.String();
        var looksLikePath = ShippedConfig.LooksLikePath(name);
        var file = looksLikePath
            ? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(scenarioPath)) ?? ".", name))
            : ShippedConfig.Topology(name);
        if (!File.Exists(file))
        {
            throw topo.Error(looksLikePath ? $"no topology file {file}" : $"no shipped topology \"{name}\" (look in {Path.GetDirectoryName(file)})");
        }
        return LoadTopologyFile(file);
    }

    private static LatencyModel LoadLatency(ConfigNode latency, ConfigNode defaults)
    {
        latency.OnlyKeys("dram-local", "pcp-alloc", "pcp-free", "buddy-op", "zone-message", "direct-reclaim",
            "tlb-hit", "fault-entry", "page-zero", "tlb-refill-trap", "ipi", "migration", "slab-alloc", "slab-free",
            "reclaim-scan", "file-read", "file-copy", "migrate-copy", "swap-write");
        long Get(string key) => latency.Child(key).Nanoseconds(defaults.Child(key).Nanoseconds());
        foreach (var message in new[] { "zone-message", "ipi", "migration" })
        {
            if (Get(message) <= 0)
            {
                throw latency.Child(message).Error("must be greater than 0: message latencies set the lookahead of the window protocol");
            }
        }
        return new LatencyModel(Get("dram-local"), Get("pcp-alloc"), Get("pcp-free"), Get("buddy-op"), Get("zone-message"), Get("direct-reclaim"))
        {
            TlbHitNs = Get("tlb-hit"),
            FaultEntryNs = Get("fault-entry"),
            PageZeroNs = Get("page-zero"),
            TlbRefillTrapNs = Get("tlb-refill-trap"),
            IpiNs = Get("ipi"),
            MigrationNs = Get("migration"),
            SlabAllocNs = Get("slab-alloc"),
            SlabFreeNs = Get("slab-free"),
            ReclaimScanNs = Get("reclaim-scan"),
            FileReadNs = Get("file-read"),
            FileCopyNs = Get("file-copy"),
            MigrateCopyNs = Get("migrate-copy"),
            SwapWriteNs = Get("swap-write"),
        };
    }

    private static TlbConfig LoadTlb(ConfigNode tlb, ConfigNode defaults)
    {
        tlb.OnlyKeys("entries", "ways", "refill", "huge-entries", "huge-ways");
        var entries = tlb.Child("entries").Int(1, 1 << 20, defaults.Child("entries").Int(1, 1 << 20));
        var ways = tlb.Child("ways").Int(1, 1 << 20, defaults.Child("ways").Int(1, 1 << 20));
        if (entries % ways != 0)
        {
            throw tlb.Child("ways").Error($"{entries} entries do not split into sets of {ways} ways");
        }
        var refill = tlb.Child("refill").String(defaults.Child("refill").String());
        if (refill is not ("hardware" or "software"))
        {
            throw tlb.Child("refill").Error($"expected hardware or software, found \"{refill}\"");
        }
        var hugeEntries = tlb.Child("huge-entries").Int(1, 1 << 20, defaults.Child("huge-entries").Int(1, 1 << 20));
        var hugeWays = tlb.Child("huge-ways").Int(1, 1 << 20, defaults.Child("huge-ways").Int(1, 1 << 20));
        if (hugeEntries % hugeWays != 0)
        {
            throw tlb.Child("huge-ways").Error($"{hugeEntries} entries do not split into sets of {hugeWays} ways");
        }
        return new TlbConfig(entries, ways, refill == "software") { HugeEntries = hugeEntries, HugeWays = hugeWays };
    }

    private static List<WorkloadStream> LoadStreams(ConfigNode workload, MachineTopology topology)
    {
        var streams = new List<WorkloadStream>();
        if (!workload.Child("streams").Exists)
        {
            return streams;
        }
        foreach (var s in workload.Child("streams").Elements())
        {
            s.OnlyKeys("cpus", "operations", "think-time", "policy", "mix");
            var cpus = LoadCpus(s.Child("cpus"), topology);
            var operations = s.Child("operations").Long();
            if (operations < 0)
            {
                throw s.Child("operations").Error("must be 0 or more");
            }
            var mix = s.Child("mix").Elements().Select(LoadKind).ToList();
            if (mix.Count == 0)
            {
                throw s.Child("mix").Error("a stream needs at least one kind of allocation");
            }
            streams.Add(new WorkloadStream(cpus, operations, s.Child("think-time").Nanoseconds(0), LoadPolicy(s.Child("policy"), topology), mix));
        }
        return streams;
    }

    /// <summary>A `cpus` value (see <see cref="CpuSelector"/>): numbers, "all", "node:N", "node:N:K".</summary>
    internal static IReadOnlyList<int> LoadCpus(ConfigNode node, MachineTopology topology)
    {
        var cpus = CpuSelector.Select(node.String(), topology, out var problem);
        return problem is null ? cpus : throw node.Error(problem);
    }

    private static AllocationKind LoadKind(ConfigNode m)
    {
        m.OnlyKeys("weight", "order", "gfp", "lifetime");
        var gfpText = m.Child("gfp").String("GFP_KERNEL");
        if (!GfpFlags.TryParse(gfpText, out var gfp, out var unknown))
        {
            throw m.Child("gfp").Error($"unknown gfp flag \"{unknown ?? gfpText}\"");
        }
        var lifetime = m.Child("lifetime");
        long? meanLifetime = !lifetime.Exists || lifetime.String() == "forever" ? null : lifetime.Nanoseconds();
        return new AllocationKind(m.Child("weight").Int(1, 1_000_000, 1), m.Child("order").Int(0, Architecture.DefaultMaxOrder, 0), gfp, meanLifetime);
    }

    /// <summary>
    /// default | local | bind:NODES | preferred:NODE | interleave:NODES | preferred-many:NODES | weighted-interleave:NODES
    /// (its weights are numasim.sysctl.weighted-interleave's); NODES as <see cref="NodeSelector"/> reads them ("0-1", "all", "last").
    /// </summary>
    public static MemPolicy ParsePolicy(string text, MachineTopology topology, out string? problem)
    {
        var why = PolicyProblem(text, topology, out var policy);
        problem = why is null ? null : $"policy \"{text}\": {why}";
        return policy;
    }

    private static string? PolicyProblem(string text, MachineTopology topology, out MemPolicy policy)
    {
        policy = MemPolicy.Default;
        var parts = text.Split(':', 2);
        var mode = parts[0].Trim().ToLowerInvariant();
        if (mode is "default" or "local")
        {
            policy = mode == "local" ? new MemPolicy(MemPolicyMode.Local, []) : MemPolicy.Default;
            return parts.Length == 1 ? null : "takes no nodes";
        }
        MemPolicyMode? kind = mode switch
        {
            "bind" => MemPolicyMode.Bind,
            "preferred" => MemPolicyMode.Preferred,
            "interleave" => MemPolicyMode.Interleave,
            "preferred-many" => MemPolicyMode.PreferredMany,
            "weighted-interleave" => MemPolicyMode.WeightedInterleave,
            _ => null,
        };
        if (kind is null)
        {
            return "expected default, local, bind:NODES, preferred:NODE, interleave:NODES, preferred-many:NODES or weighted-interleave:NODES";
        }
        if (parts.Length < 2 || parts[1].Trim().Length == 0)
        {
            return $"{mode} needs nodes, e.g. {mode}:0-1 or {mode}:all";
        }
        var nodes = NodeSelector.Nodes(parts[1].Trim(), topology, out var problem);
        if (problem is not null)
        {
            return problem;
        }
        if (kind == MemPolicyMode.Preferred && nodes.Count != 1)
        {
            return "preferred takes one node";
        }
        policy = new MemPolicy(kind.Value, nodes);
        return null;
    }

    internal static MemPolicy LoadPolicy(ConfigNode node, MachineTopology topology)
    {
        var policy = ParsePolicy(node.String("default"), topology, out var problem);
        return problem is null ? policy : throw node.Error(problem);
    }
}

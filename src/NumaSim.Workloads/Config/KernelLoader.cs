using NumaSim.Model.Kernel;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Kernel;

namespace NumaSim.Workloads.Config;

/// <summary>
/// Reads what a scenario asks of the kernel allocators: `numasim.slab` (allocator, debug, caches),
/// `numasim.workload.kernel` (streams) and `numasim.workload.script` (individual calls).
/// </summary>
public static class KernelLoader
{
    private static readonly Dictionary<string, KernelOp> StreamOps = new(StringComparer.Ordinal)
    {
        ["kmalloc"] = KernelOp.Kmalloc,
        ["kzalloc"] = KernelOp.Kzalloc,
        ["kmem_cache_alloc"] = KernelOp.KmemCacheAlloc,
        ["vmalloc"] = KernelOp.Vmalloc,
    };

    private static readonly Dictionary<string, KernelOp> ScriptOps = new(StreamOps, StringComparer.Ordinal)
    {
        ["kfree"] = KernelOp.Kfree,
        ["kmem_cache_free"] = KernelOp.KmemCacheFree,
        ["vfree"] = KernelOp.Vfree,
        ["kmem_cache_destroy"] = KernelOp.KmemCacheDestroy,
        ["write"] = KernelOp.Write,
        ["context"] = KernelOp.Context,
    };

    public static KernelWorkload Load(ConfigNode slab, ConfigNode workload, MachineTopology topology)
    {
        slab.OnlyKeys("allocator", "debug", "caches");
        var allocator = slab.Child("allocator").String("slub");
        if (allocator is not ("slub" or "slab" or "slob"))
        {
            throw slab.Child("allocator").Error($"expected slub, slab or slob, found \"{allocator}\"");
        }
        var debugText = slab.Child("debug").String("off");
        var debug = debugText switch
        {
            "off" => null,
            "on" => "",
            _ => debugText,
        };
        var caches = slab.Child("caches").Exists ? slab.Child("caches").Elements().Select(LoadCache).ToList() : [];
        var duplicate = caches.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw slab.Child("caches").Error($"cache \"{duplicate.Key}\" is created twice");
        }
        var names = caches.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var streams = workload.Child("kernel").Exists
            ? workload.Child("kernel").Elements().Select(s => LoadStream(s, topology, names)).ToList()
            : [];
        var script = workload.Child("script").Exists ? LoadScript(workload.Child("script"), topology, names) : [];
        return new KernelWorkload(caches, streams, script, allocator, debug);
    }

    private static SlabCacheSpec LoadCache(ConfigNode c)
    {
        c.OnlyKeys("name", "size", "align", "flags", "ctor");
        var name = c.Child("name").String();
        if (name.Length == 0 || name.Any(char.IsWhiteSpace))
        {
            throw c.Child("name").Error("a cache name is one word, as /proc/slabinfo prints it");
        }
        var flagsText = c.Child("flags").String("0");
        if (!SlabFlagNames.TryParse(flagsText, out var flags, out var unknown))
        {
            throw c.Child("flags").Error($"unknown slab flag \"{unknown}\"");
        }
        // Sizes the kernel refuses (0, above KMALLOC_MAX_SIZE) are accepted here: kmem_cache_create
        // fails at boot, and with SLAB_PANIC the simulated kernel panics, as the real one would.
        return new SlabCacheSpec(name, c.Child("size").Int(0, int.MaxValue), c.Child("align").Int(0, 1 << 20, 0), flags, c.Child("ctor").Bool(false));
    }

    private static KernelStream LoadStream(ConfigNode s, MachineTopology topology, HashSet<string> caches)
    {
        s.OnlyKeys("cpus", "operations", "think-time", "context", "node", "mix");
        var mix = s.Child("mix").Elements().Select(m => LoadKind(m, caches)).ToList();
        if (mix.Count == 0)
        {
            throw s.Child("mix").Error("a kernel stream needs at least one kind of allocation");
        }
        var operations = s.Child("operations").Long();
        if (operations < 0)
        {
            throw s.Child("operations").Error("must be 0 or more");
        }
        return new KernelStream(
            ScenarioLoader.LoadCpus(s.Child("cpus"), topology),
            operations,
            s.Child("think-time").Nanoseconds(0),
            LoadContext(s.Child("context")),
            LoadNode(s.Child("node"), topology),
            mix);
    }

    private static KernelAllocKind LoadKind(ConfigNode m, HashSet<string> caches)
    {
        m.OnlyKeys("weight", "op", "size", "gfp", "cache", "lifetime");
        var op = LoadOp(m.Child("op"), StreamOps, "kmalloc");
        var cache = op == KernelOp.KmemCacheAlloc ? LoadCacheName(m.Child("cache"), caches) : null;
        var (min, max) = op == KernelOp.KmemCacheAlloc ? (0L, 0L) : LoadSizeRange(m.Child("size"));
        var lifetime = m.Child("lifetime");
        long? meanLifetime = !lifetime.Exists || lifetime.String() == "forever" ? null : lifetime.Nanoseconds();
        return new KernelAllocKind(m.Child("weight").Int(1, 1_000_000, 1), op, min, max, LoadGfp(m.Child("gfp")), cache, meanLifetime);
    }

    private static List<ScriptStep> LoadScript(ConfigNode script, MachineTopology topology, HashSet<string> caches)
    {
        var steps = new List<(ScriptStep Step, ConfigNode Node)>();
        foreach (var s in script.Elements())
        {
            s.OnlyKeys("at", "cpu", "do", "name", "size", "gfp", "cache", "node", "offset", "length", "value", "context");
            var op = LoadOp(s.Child("do"), ScriptOps, null);
            var cpu = LoadScriptCpu(s.Child("cpu"), topology);
            var step = new ScriptStep(s.Child("at").Nanoseconds(), cpu, op)
            {
                Object = op is KernelOp.Context or KernelOp.KmemCacheDestroy ? null : s.Child("name").String(),
                Size = op is KernelOp.Kmalloc or KernelOp.Kzalloc or KernelOp.Vmalloc ? LoadSize(s.Child("size")) : 0,
                Gfp = LoadGfp(s.Child("gfp")),
                Cache = op is KernelOp.KmemCacheAlloc or KernelOp.KmemCacheDestroy ? LoadCacheName(s.Child("cache"), caches) : null,
                Node = LoadNode(s.Child("node"), topology),
                Offset = op == KernelOp.Write ? s.Child("offset").Int(-(1 << 20), 1 << 20) : 0,
                Length = op == KernelOp.Write ? s.Child("length").Int(1, 1 << 20) : 0,
                Value = op == KernelOp.Write ? LoadByte(s.Child("value")) : (byte)0,
                Context = op == KernelOp.Context ? LoadContext(s.Child("context")) : CpuContext.Process,
            };
            steps.Add((step, s));
        }
        var ordered = steps.OrderBy(s => s.Step.AtNs).ToList(); // stable: same time keeps file order
        var owners = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (step, node) in ordered)
        {
            if (step.Object is not { } name)
            {
                continue;
            }
            var allocates = step.Op is KernelOp.Kmalloc or KernelOp.Kzalloc or KernelOp.KmemCacheAlloc or KernelOp.Vmalloc;
            if (!owners.TryGetValue(name, out var owner))
            {
                if (!allocates)
                {
                    throw node.Child("name").Error($"\"{name}\" is not allocated by an earlier step");
                }
                owners[name] = step.Cpu;
            }
            else if (owner != step.Cpu)
            {
                throw node.Child("cpu").Error($"\"{name}\" belongs to CPU {owner}'s steps; a step on CPU {step.Cpu} cannot use it");
            }
        }
        return [.. ordered.Select(s => s.Step)];
    }

    private static KernelOp LoadOp(ConfigNode node, Dictionary<string, KernelOp> ops, string? fallback)
    {
        var text = fallback is null ? node.String() : node.String(fallback);
        return ops.TryGetValue(text, out var op) ? op : throw node.Error($"expected one of {string.Join(", ", ops.Keys)}; found \"{text}\"");
    }

    private static string LoadCacheName(ConfigNode node, HashSet<string> caches)
    {
        var name = node.String();
        return caches.Contains(name) ? name : throw node.Error($"no cache \"{name}\" in numasim.slab.caches");
    }

    private static Gfp LoadGfp(ConfigNode node)
    {
        var text = node.String("GFP_KERNEL");
        return GfpFlags.TryParse(text, out var gfp, out var unknown) ? gfp : throw node.Error($"unknown gfp flag \"{unknown ?? text}\"");
    }

    private static CpuContext LoadContext(ConfigNode node)
    {
        var text = node.String("process");
        return CpuContexts.TryParse(text, out var context) ? context : throw node.Error($"expected process, softirq, tasklet or hardirq; found \"{text}\"");
    }

    /// <summary>A byte as 65 or 0x41.</summary>
    private static byte LoadByte(ConfigNode node)
    {
        var text = node.String().Trim();
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? byte.TryParse(text.AsSpan(2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var value)
            : byte.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
        return ok ? value : throw node.Error($"expected a byte such as 65 or 0x41, found \"{text}\"");
    }

    /// <summary>A script step's CPU: a number, or a `cpus` form that selects one CPU here ("node:0:3-3": node 0's fourth CPU, or its last).</summary>
    private static int LoadScriptCpu(ConfigNode node, MachineTopology topology)
    {
        if (!node.Exists || int.TryParse(node.String(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            var cpu = node.Int(0, topology.CpuIds - 1, 0);
            return topology.NodeOfCpu(cpu) >= 0 ? cpu : throw node.Error($"CPU {cpu} is not in the topology");
        }
        var cpus = ScenarioLoader.LoadCpus(node, topology);
        return cpus.Count == 1 ? cpus[0] : throw node.Error($"a script step runs on one CPU; \"{node.String()}\" selects {cpus.Count} here");
    }

    /// <summary>kmalloc_node's node: a node id, or "last" (the highest node: a remote one on most machines, node 0 on one node); -1 (NUMA_NO_NODE) when unset.</summary>
    private static int LoadNode(ConfigNode node, MachineTopology topology) =>
        node.Exists && node.String() == "last" ? topology.Nodes.Count - 1 : node.Int(-1, topology.Nodes.Count - 1, -1);

    private static long LoadSize(ConfigNode node)
    {
        var size = node.Bytes();
        return size >= 0 ? size : throw node.Error("must be 0 or more");
    }

    /// <summary>"128", "4K" or a range "8-256" drawn uniformly.</summary>
    private static (long Min, long Max) LoadSizeRange(ConfigNode node)
    {
        var text = node.String();
        var dash = text.IndexOf('-', 1);
        if (dash < 0)
        {
            var size = LoadSize(node);
            return (size, size);
        }
        if (!Units.TryParseBytes(text[..dash].Trim(), out var min) || !Units.TryParseBytes(text[(dash + 1)..].Trim(), out var max) || min < 0 || max < min)
        {
            throw node.Error($"expected a size such as 128 or 4K, or a range such as 8-256; found \"{text}\"");
        }
        return (min, max);
    }
}

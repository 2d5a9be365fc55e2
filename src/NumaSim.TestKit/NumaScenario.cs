using System.Text;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Config;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.TestKit;

/// <summary>
/// A scenario for a test, written fluently: a machine (a shipped topology, a topology of your own in HOCON, or a
/// whole scenario file or text), then tasks, allocation streams and single kernel calls at given simulated times.
/// It becomes the same HOCON a scenario file holds, checked by the same loader, so every key of
/// config/reference.conf is available through <see cref="With"/> and a mistake reads as it would in a file.
/// </summary>
public sealed class NumaScenario
{
    private readonly string _name;
    private readonly string? _baseText;
    private readonly string? _topology;
    private readonly List<string> _tasks = [];
    private readonly List<string> _streams = [];
    private readonly List<string> _kernel = [];
    private readonly List<string> _script = [];
    private readonly List<string> _faults = [];
    private readonly List<string> _extra = [];
    private long? _seed;
    private string? _maxTime;

    private NumaScenario(string name, string? baseText, string? topology)
    {
        _name = name;
        _baseText = baseText;
        _topology = topology;
    }

    /// <summary>A shipped topology by name: single-node, two-socket, four-node, eight-node-1tib.</summary>
    public static NumaScenario On(string shippedTopology, string name = "test") =>
        new(name, null, Hocon.Quote(shippedTopology));

    /// <summary>A topology of your own: the body of numasim.topology { ... } (nodes, distance, ...).</summary>
    public static NumaScenario OnTopology(string topologyBody, string name = "test") =>
        new(name, null, "{\n" + topologyBody + "\n}");

    /// <summary>A whole scenario as HOCON text (numasim { ... }); what the builder adds comes after it.</summary>
    public static NumaScenario FromHocon(string scenarioText, string name = "test") => new(name, scenarioText, null);

    /// <summary>A scenario file, e.g. one of config/scenarios (see <see cref="ShippedScenario"/>).</summary>
    public static NumaScenario FromFile(string path) =>
        new(Path.GetFileNameWithoutExtension(path), File.ReadAllText(path), null);

    /// <summary>The path of a shipped scenario: default, first-touch, interleave, kmalloc-storm, ...</summary>
    public static string ShippedScenario(string name) => ShippedConfig.Scenario(name);

    /// <summary>The run's seed (what `numasim run --seed` sets): the same scenario and seed give the same run.</summary>
    public NumaScenario WithSeed(long seed)
    {
        _seed = seed;
        return this;
    }

    /// <summary>Stop the run at this simulated time ("50us"), whatever is still to do (the run is then incomplete).</summary>
    public NumaScenario StopAt(string simulatedTime)
    {
        _maxTime = simulatedTime;
        return this;
    }

    /// <summary>
    /// One task per CPU of <paramref name="cpus"/>, each mapping <paramref name="workingSet"/> ("64M") and touching it
    /// <paramref name="accesses"/> times by <paramref name="pattern"/> (sequential, strided:K, random, zipf:S,
    /// pointer-chase) under <paramref name="policy"/> (null: first touch; "interleave:0-1", "bind:1", ...).
    /// </summary>
    public NumaScenario WithTasks(
        string cpus,
        string workingSet,
        long accesses,
        string pattern = "sequential",
        string? policy = null,
        double writeRatio = 0,
        bool thp = false,
        string? thinkTime = null,
        long migrateEvery = 0,
        long mprotectEvery = 0,
        long munmapEvery = 0,
        string? chunk = null)
    {
        _tasks.Add(Hocon.Object(
            ("cpus", cpus), ("working-set", new Hocon.Raw(workingSet)), ("pattern", pattern), ("write-ratio", writeRatio),
            ("accesses", accesses), ("policy", policy), ("thp", thp ? true : null), ("think-time", thinkTime is null ? null : new Hocon.Raw(thinkTime)),
            ("migrate-every", migrateEvery > 0 ? migrateEvery : null), ("mprotect-every", mprotectEvery > 0 ? mprotectEvery : null),
            ("munmap-every", munmapEvery > 0 ? munmapEvery : null), ("chunk", chunk is null ? null : new Hocon.Raw(chunk))));
        return this;
    }

    /// <summary>
    /// One task per CPU of <paramref name="cpus"/> running <paramref name="steps"/> in order, each a HOCON object as
    /// a scenario file writes it: <c>{ policy = "bind:0" }</c>, <c>{ touch = 64M, thp = on }</c>, <c>{ move-to = 2 }</c>,
    /// <c>{ access = 1ms, think-time = 100ns }</c>, <c>{ read-file = 8M, file = "big" }</c>.
    /// </summary>
    public NumaScenario WithStepTask(string cpus, params string[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        _tasks.Add(Hocon.Object(("cpus", cpus), ("steps", new Hocon.Raw("[" + string.Join(", ", steps) + "]"))));
        return this;
    }

    /// <summary>A page-allocation stream run by every CPU of <paramref name="cpus"/>.</summary>
    public NumaScenario WithStream(string cpus, long operations, string thinkTime, string? policy, params AllocationMix[] mix)
    {
        ArgumentNullException.ThrowIfNull(mix);
        _streams.Add(Hocon.Object(
            ("cpus", cpus), ("operations", operations), ("think-time", new Hocon.Raw(thinkTime)), ("policy", policy),
            ("mix", new Hocon.Raw("[" + string.Join(", ", mix.Select(m => m.ToHocon())) + "]"))));
        return this;
    }

    /// <summary>
    /// One kernel call at a simulated time ("3us") on a CPU, as numasim.workload.script has them: <paramref name="op"/>
    /// is kmalloc, kzalloc, vmalloc, kmem_cache_alloc, kfree, kmem_cache_free, vfree, write, context or
    /// kmem_cache_destroy; <paramref name="fields"/> are the call's other keys (name, size, gfp, node, cache, offset,
    /// length, value, context).
    /// </summary>
    public NumaScenario At(string time, int cpu, string op, params (string Key, object? Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _script.Add(Hocon.Object([("at", new Hocon.Raw(time)), ("cpu", cpu), ("do", op), .. fields]));
        return this;
    }

    /// <summary>Fault injection: from <paramref name="time"/> on, <paramref name="cpu"/> runs in
    /// <paramref name="context"/> (process, softirq, tasklet, hardirq).</summary>
    public NumaScenario SwitchContext(string time, int cpu, string context) => At(time, cpu, "context", ("context", context));

    /// <summary>Fault injection: <paramref name="length"/> bytes of <paramref name="value"/> written at
    /// <paramref name="offset"/> from the start of the object called <paramref name="name"/> (past its end: a red-zone
    /// overrun; after its free: a use after free).</summary>
    public NumaScenario Corrupt(string time, int cpu, string name, long offset, long length, int value = 0x41) =>
        At(time, cpu, "write", ("name", name), ("offset", offset), ("length", length), ("value", value));

    /// <summary>Fault injection: from <paramref name="time"/> on, the zone has no free memory left (what is on CPUs'
    /// per-CPU lists stays usable; later frees come back).</summary>
    public NumaScenario ExhaustZone(string time, int node, ZoneType zone)
    {
        _faults.Add(Hocon.Object(("at", new Hocon.Raw(time)), ("do", "exhaust-zone"), ("node", node), ("zone", zone.KernelName())));
        return this;
    }

    /// <summary>Fault injection: from <paramref name="time"/> on, the node's memory is gone; allocations fall back to
    /// the other nodes by the zonelists.</summary>
    public NumaScenario OfflineNode(string time, int node)
    {
        _faults.Add(Hocon.Object(("at", new Hocon.Raw(time)), ("do", "offline-node"), ("node", node)));
        return this;
    }

    /// <summary>A kernel allocation stream (numasim.workload.kernel) given as its HOCON object.</summary>
    public NumaScenario WithKernelStream(string hoconObject)
    {
        _kernel.Add(hoconObject);
        return this;
    }

    /// <summary>Any other settings, as HOCON inside numasim { ... }: "slab.allocator = slab", "tlb.entries = 64".</summary>
    public NumaScenario With(string hocon)
    {
        _extra.Add(hocon);
        return this;
    }

    /// <summary>The scenario's HOCON, as a file would hold it.</summary>
    public string ToHocon()
    {
        var sb = new StringBuilder();
        if (_baseText is not null)
        {
            sb.AppendLine(_baseText);
        }
        sb.AppendLine("numasim {");
        if (_seed is { } seed)
        {
            sb.AppendLine($"  seed = {Hocon.Value(seed)}");
        }
        if (_topology is not null)
        {
            sb.AppendLine($"  topology = {_topology}");
        }
        if (_maxTime is not null)
        {
            sb.AppendLine($"  sim.max-time = {_maxTime}");
        }
        void List(string key, List<string> items)
        {
            if (items.Count > 0)
            {
                sb.AppendLine($"  workload.{key} = [");
                foreach (var item in items)
                {
                    sb.AppendLine("    " + item);
                }
                sb.AppendLine("  ]");
            }
        }
        List("tasks", _tasks);
        List("streams", _streams);
        List("kernel", _kernel);
        List("script", _script);
        List("faults", _faults);
        foreach (var extra in _extra)
        {
            sb.AppendLine(extra);
        }
        return sb.AppendLine("}").ToString();
    }

    /// <summary>The loaded scenario; a mistake is a <see cref="ConfigException"/> naming the line and key.</summary>
    public Scenario Build() => ScenarioLoader.LoadText(_name, ToHocon());
}

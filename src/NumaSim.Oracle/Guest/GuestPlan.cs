using NumaSim.Oracle.Qemu;

namespace NumaSim.Oracle.Guest;

/// <summary>One real process of the guest: the CPU it starts on and its steps as numasim-guest arguments.</summary>
public sealed record GuestTask(int Cpu, IReadOnlyList<string> Steps);

/// <summary>
/// Everything the guest runs: the machine, the tasks, the files read-file steps read (name and size, on the
/// guest's /mnt), the run-time knobs to write before the tasks start (path in the guest, value) and the swap area.
/// </summary>
public sealed record GuestPlan(
    GuestMachine Machine,
    IReadOnlyList<GuestTask> Tasks,
    IReadOnlyDictionary<string, long> Files,
    IReadOnlyList<KeyValuePair<string, string>> Sysctl)
{
    /// <summary>Where the guest mounts the disk holding the files.</summary>
    public const string FileMount = "/mnt";

    /// <summary>The swap disk's size in bytes (numasim.topology.swap), 0 for none: a second virtio disk the guest swaps on.</summary>
    public long SwapBytes { get; init; }

    /// <summary>Whether the guest needs its virtio disk modules (a file to read or a disk to swap on).</summary>
    public bool NeedsDisks => Files.Count > 0 || SwapBytes > 0;

    /// <summary>
    /// The swap disk as the guest sees it: virtio disks are named in the order they are attached, the file disk
    /// (when there is one) first.
    /// </summary>
    public string SwapDevice => Files.Count > 0 ? "/dev/vdb" : "/dev/vda";

    /// <summary>
    /// How long QEMU may run: a boot and the snapshots take about 15 s under TCG, touching or reading a GiB about
    /// 15 s more; access steps take their own time. Twice that, and two minutes, before the run is called hung: on a
    /// loaded host (the end-to-end tests beside it) a run estimated at 15 s once took more than 90.
    /// </summary>
    public TimeSpan TimeLimit()
    {
        var bytes = Files.Values.Sum() + Tasks.Sum(t => t.Steps.Where(s => s.StartsWith("touch=", StringComparison.Ordinal))
            .Sum(s => long.Parse(s["touch=".Length..].Split(':')[0], System.Globalization.CultureInfo.InvariantCulture)));
        var accessNs = Tasks.Sum(t => t.Steps.Where(s => s.StartsWith("access=", StringComparison.Ordinal))
            .Sum(s => long.Parse(s["access=".Length..].Split(':')[0], System.Globalization.CultureInfo.InvariantCulture)));
        var seconds = 15 + (15.0 * bytes / (1L << 30)) + (accessNs / 1e9);
        return TimeSpan.FromSeconds(120 + (2 * seconds));
    }

    /// <summary>/numasim/tasks: one task a line, "CPU STEP...".</summary>
    public string TasksFile() =>
        string.Concat(Tasks.Select(t => string.Join(' ', [t.Cpu.ToString(System.Globalization.CultureInfo.InvariantCulture), .. t.Steps]) + "\n"));

    /// <summary>/numasim/sysctl: one knob a line, "PATH VALUE".</summary>
    public string SysctlFile() => string.Concat(Sysctl.Select(s => $"{s.Key} {s.Value}\n"));
}

using System.Diagnostics;
using NumaSim.Oracle.Qemu;

namespace NumaSim.Oracle.Guest;

/// <summary>What a guest run left: the split console files under Directory (boot, empty.*, run.*), the kernel's version.</summary>
public sealed record GuestResult(string Directory, string KernelVersion, TimeSpan Elapsed)
{
    public string Boot => Path.Combine(Directory, "boot");

    public string Tag(string tag) => Path.Combine(Directory, tag);

    /// <summary>
    /// The machine as the real run found it, for the import: the boot snapshot's layout (CPUs, distances, HMAT) with
    /// the zoneinfo dumped just before the tasks started, so free pages, the pages on each CPU's per-CPU list and the
    /// watermarks are those the tasks met (the empty run and the guest's start-up have moved them since boot).
    /// Written to Directory/start; the boot snapshot when the guest dumped no such zoneinfo.
    /// </summary>
    public string StartSnapshot()
    {
        var before = Path.Combine(Tag("run.before"), "proc", "zoneinfo");
        if (!File.Exists(before))
        {
            return Boot;
        }
        var start = Tag("start");
        foreach (var file in System.IO.Directory.EnumerateFiles(Boot, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(start, Path.GetRelativePath(Boot, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
        File.Copy(before, Path.Combine(start, "proc", "zoneinfo"), overwrite: true);
        return start;
    }
}

/// <summary>
/// Boots the kernel under QEMU with the plan's machine and runs its tasks: builds the guest program and the
/// initramfs (busybox, init, the program, the plan; modules when files are read or swap is used) and the disks, runs QEMU with a
/// time limit and splits its console into files under OUT.
/// </summary>
public static class GuestRun
{
    /// <summary>Busybox as Debian's busybox-static installs it: a static binary the guest runs as its shell and tools.</summary>
    public const string Busybox = "/bin/busybox";

    /// <summary>Boots that fail before the guest's init has printed anything are tried again, this many times in all.</summary>
    public const int BootAttempts = 3;

    /// <summary>
    /// Runs QEMU; a kernel that panics while it boots, before the guest's init runs, is booted again. Under TCG with
    /// several vCPUs the kernel's boot-time code patching (text_poke_bp's int3) now and then traps on another vCPU
    /// ("Oops: int3 ... sched_clock_cpu"): QEMU's flaw, not the scenario's.
    /// </summary>
    private static async Task<(HostProcess.Outcome Outcome, string Log)> BootAsync(IReadOnlyList<string> args, string console, TimeSpan timeout, CancellationToken cancel)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await HostProcess.RunAsync(QemuCommand.Binary, args, timeout, cancel).ConfigureAwait(false);
            var log = File.Exists(console) ? await File.ReadAllTextAsync(console, cancel).ConfigureAwait(false) : "";
            if (attempt == BootAttempts || !PanickedWhileBooting(log))
            {
                return (outcome, log);
            }
            Console.Error.WriteLine($"numasim: validate: the guest kernel panicked while booting (attempt {attempt} of {BootAttempts}); booting it again");
        }
    }

    /// <summary>A panic on the console before the guest's init printed its first marker line.</summary>
    public static bool PanickedWhileBooting(string log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var panic = log.IndexOf("Kernel panic", StringComparison.Ordinal);
        var firstMarker = log.IndexOf("=== ", StringComparison.Ordinal);
        return panic >= 0 && (firstMarker < 0 || panic < firstMarker);
    }

    /// <exception cref="OracleException">A tool is missing, QEMU failed or the guest did not finish in time.</exception>
    public static async Task<GuestResult> RunAsync(GuestPlan plan, string kernel, string? modules, string outDir, TimeSpan timeout, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!File.Exists(kernel))
        {
            throw new FileNotFoundException($"{kernel}: kernel image not found", kernel);
        }
        if (!File.Exists(Busybox))
        {
            throw new OracleException($"{Busybox}: not found (install busybox-static)");
        }
        var clock = Stopwatch.StartNew();
        var work = System.IO.Directory.CreateTempSubdirectory("numasim-validate-");
        try
        {
            var program = await GuestProgram.BuildAsync(work.FullName, cancel).ConfigureAwait(false);
            var image = new Initramfs()
                .Directory("bin").Directory("proc").Directory("sys").Directory("dev").Directory("tmp").Directory("mnt").Directory("numasim")
                .File("bin/busybox", await File.ReadAllBytesAsync(Busybox, cancel).ConfigureAwait(false), executable: true)
                .File("init", GuestSources.Init, executable: true)
                .File("numasim-guest", await File.ReadAllBytesAsync(program, cancel).ConfigureAwait(false), executable: true)
                .File("numasim/tasks", plan.TasksFile())
                .File("numasim/sysctl", plan.SysctlFile());
            string? disk = null, swap = null;
            if (plan.NeedsDisks)
            {
                var moduleDir = modules ?? KernelModules.DefaultDirectory(kernel)
                    ?? throw new OracleException($"{kernel}: no lib/modules next to it; read-file steps and swap need ext4 and virtio_blk: give --modules DIR");
                var loaded = await KernelModules.ReadAsync(moduleDir, cancel).ConfigureAwait(false);
                image.Directory("modules");
                foreach (var (name, data) in loaded)
                {
                    image.File($"modules/{name}.ko", data);
                }
                image.File("modules/order", string.Join('\n', loaded.Select(m => m.Name)) + "\n");
            }
            if (plan.Files.Count > 0)
            {
                disk = Path.Combine(work.FullName, "disk.img");
                await DiskImage.CreateAsync(disk, plan.Files, cancel).ConfigureAwait(false);
            }
            if (plan.SwapBytes > 0)
            {
                swap = Path.Combine(work.FullName, "swap.img");
                await DiskImage.CreateSwapAsync(swap, plan.SwapBytes, cancel).ConfigureAwait(false);
                image.File("numasim/swap", plan.SwapDevice + "\n");
            }
            var initrd = Path.Combine(work.FullName, "initrd.gz");
            await File.WriteAllBytesAsync(initrd, image.ToGzip(), cancel).ConfigureAwait(false);
            // A previous validation's files in the same directory would mix with this one's.
            if (System.IO.Directory.Exists(outDir))
            {
                System.IO.Directory.Delete(outDir, recursive: true);
            }
            System.IO.Directory.CreateDirectory(outDir);
            var console = Path.Combine(outDir, "console.log");
            var args = QemuCommand.Arguments(plan.Machine, Path.GetFullPath(kernel), initrd, console, disk, swap);
            await File.WriteAllTextAsync(Path.Combine(outDir, "qemu-command.txt"), QemuCommand.Binary + " " + string.Join(' ', args) + "\n", cancel)
                .ConfigureAwait(false);
            var (outcome, log) = await BootAsync(args, console, timeout, cancel).ConfigureAwait(false);
            if (outcome.ExitCode is null)
            {
                throw new OracleException($"QEMU did not finish in {timeout.TotalSeconds:0} s; the console's last lines: {HostProcess.Tail(log, 8)}");
            }
            if (outcome.ExitCode != 0)
            {
                throw new OracleException($"QEMU exited with {outcome.ExitCode}: {HostProcess.Tail(outcome.Output)}");
            }
            var files = ConsoleLog.Split(log);
            ConsoleLog.WriteFiles(outDir, files);
            var version = files.TryGetValue("kernel/proc/version", out var v) ? v.Trim() : "unknown";
            return new GuestResult(outDir, version, clock.Elapsed);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}

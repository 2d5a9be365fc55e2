namespace NumaSim.EndToEnd.Tests.Support;

/// <summary>
/// A fact that boots a real kernel under QEMU (`numasim validate`): it needs qemu-system-x86_64, busybox-static's
/// /bin/busybox, gcc and a kernel image, NUMASIM_KERNEL or the Debian package .ci/run extracts into &lt;repo&gt;/.kernel.
/// Skipped, saying which is missing, only where one of them is absent.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class FactWhenKernelAttribute : FactAttribute
{
    /// <summary>The kernel the fidelity table of docs/validation.md was measured on (Debian's linux-image package).</summary>
    public const string ValidatedKernel = "6.12.117+deb12-amd64";

    public FactWhenKernelAttribute()
    {
        if (CliRunner.Which("qemu-system-x86_64") is null)
        {
            Skip = "qemu-system-x86_64 is not on PATH (apt-get install qemu-system-x86): no real kernel to validate against";
        }
        else if (!File.Exists("/bin/busybox"))
        {
            Skip = "/bin/busybox is missing (apt-get install busybox-static): the guest has no shell";
        }
        else if (CliRunner.Which("gcc") is null)
        {
            Skip = "gcc is not on PATH: the guest program cannot be built";
        }
        else if (Kernel is null)
        {
            Skip = $"no kernel image: set NUMASIM_KERNEL or extract linux-image-{ValidatedKernel} into <repo>/.kernel (.ci/run does)";
        }
    }

    /// <summary>NUMASIM_KERNEL, else &lt;repo&gt;/.kernel/boot/vmlinuz-{ValidatedKernel}, else any vmlinuz there; null when none.</summary>
    public static string? Kernel
    {
        get
        {
            var variable = Environment.GetEnvironmentVariable("NUMASIM_KERNEL");
            if (!string.IsNullOrEmpty(variable))
            {
                return File.Exists(variable) ? variable : null;
            }
            var boot = Path.Combine(CliRunner.RepoRoot, ".kernel", "boot");
            var validated = Path.Combine(boot, "vmlinuz-" + ValidatedKernel);
            if (File.Exists(validated))
            {
                return validated;
            }
            return Directory.Exists(boot) ? Directory.EnumerateFiles(boot, "vmlinuz-*").Order(StringComparer.Ordinal).LastOrDefault() : null;
        }
    }
}

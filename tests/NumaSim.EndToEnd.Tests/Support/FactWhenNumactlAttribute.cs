namespace NumaSim.EndToEnd.Tests.Support;

/// <summary>
/// A fact that needs `numactl` and `unshare` on PATH and root (for a private mount namespace);
/// skipped, with the reason, when any is missing. numactl is never installed by the tests.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class FactWhenNumactlAttribute : FactAttribute
{
    public FactWhenNumactlAttribute()
    {
        if (CliRunner.Which("numactl") is null)
        {
            Skip = "numactl is not on PATH (install Debian's numactl to compare `numactl --hardware` with numactl-hardware.txt)";
        }
        else if (CliRunner.Which("unshare") is null)
        {
            Skip = "unshare is not on PATH: no private mount namespace for the bind mount";
        }
        else if (!IsRoot())
        {
            Skip = "not running as root: bind-mounting over /sys/devices/system/node needs root";
        }
    }

    internal static bool IsRoot()
    {
        try
        {
            var uid = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            return uid is not null && uid.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries) is [_, _, "0", ..];
        }
        catch (IOException)
        {
            return false;
        }
    }
}

namespace NumaSim.EndToEnd.Tests.Support;

/// <summary>
/// A fact that needs procps-ng's `slabtop` and `unshare` on PATH and root (to bind-mount a file over
/// /proc/slabinfo in a private mount namespace); skipped, with the reason, when any is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class FactWhenSlabtopAttribute : FactAttribute
{
    public FactWhenSlabtopAttribute()
    {
        if (CliRunner.Which("slabtop") is null)
        {
            Skip = "slabtop is not on PATH (install Debian's procps to compare with the real `slabtop --once`)";
        }
        else if (CliRunner.Which("unshare") is null)
        {
            Skip = "unshare is not on PATH: no private mount namespace for the bind mount";
        }
        else if (!FactWhenNumactlAttribute.IsRoot())
        {
            Skip = "not running as root: bind-mounting over /proc/slabinfo needs root";
        }
    }
}

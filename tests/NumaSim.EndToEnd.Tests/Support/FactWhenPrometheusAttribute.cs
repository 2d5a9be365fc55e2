namespace NumaSim.EndToEnd.Tests.Support;

/// <summary>A fact that needs Debian's `prometheus` server on PATH (.ci/run installs it); skipped, with the reason, without it.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class FactWhenPrometheusAttribute : FactAttribute
{
    public FactWhenPrometheusAttribute()
    {
        if (CliRunner.Which("prometheus") is null)
        {
            Skip = "prometheus is not on PATH (install Debian's prometheus to scrape a running simulation)";
        }
    }
}

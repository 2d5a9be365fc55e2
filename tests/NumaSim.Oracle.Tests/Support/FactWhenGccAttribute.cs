namespace NumaSim.Oracle.Tests.Support;

/// <summary>A fact that needs gcc (and a static libc) on the host, as `numasim validate` does; skipped, saying so, without.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class FactWhenGccAttribute : FactAttribute
{
    public FactWhenGccAttribute()
    {
        if (Repo.Which("gcc") is null)
        {
            Skip = "gcc is not on PATH: the guest program cannot be built (apt-get install gcc libc6-dev)";
        }
    }
}

/// <summary>A theory that needs gcc on the host.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class TheoryWhenGccAttribute : TheoryAttribute
{
    public TheoryWhenGccAttribute()
    {
        if (Repo.Which("gcc") is null)
        {
            Skip = "gcc is not on PATH: the guest program cannot be built (apt-get install gcc libc6-dev)";
        }
    }
}

namespace NumaSim.Oracle;

/// <summary>
/// The oracle could not get the kernel's answer: a host tool is missing or failed, QEMU did not boot, the guest
/// printed no result. Not bad input (exit 2) and not a disagreement: the run failed (exit 1).
/// </summary>
public sealed class OracleException : Exception
{
    public OracleException(string message)
        : base(message)
    {
    }

    public OracleException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public OracleException()
    {
    }
}

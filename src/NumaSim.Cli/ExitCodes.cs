namespace NumaSim.Cli;

/// <summary>The exit codes docs/cli.md lists.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int RunFailed = 1;
    public const int BadInput = 2;
    public const int KernelPanic = 3;

    /// <summary>`numasim validate`: a counter the simulator models differs from the real kernel's beyond the tolerance.</summary>
    public const int Disagreement = 4;

    /// <summary>The environment refused the run: the output location is not writable, full or written by another
    /// run, a port is busy, the machine lacks the memory or the cores the run needs.</summary>
    public const int Environment = 5;
}

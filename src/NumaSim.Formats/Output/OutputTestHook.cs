using System.Globalization;

namespace NumaSim.Formats.Output;

/// <summary>
/// For fault-injection tests only: with NUMASIM_TEST_STOP_AFTER_FILES=N in the environment, the writer stops for
/// good after its Nth file and says so on standard error, so that a test can kill the run in the middle of writing
/// its tree and look at what is left. Unset (always, outside tests), it costs one look-up per process.
/// </summary>
internal static class OutputTestHook
{
    public const string Variable = "NUMASIM_TEST_STOP_AFTER_FILES";

    private static readonly int StopAfter =
        int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static int _written;

    public static void AfterFile()
    {
        // Every writer past the Nth file stops, whichever thread (the live slabinfo feed too) wrote it.
        if (StopAfter > 0 && Interlocked.Increment(ref _written) >= StopAfter)
        {
            Console.Error.WriteLine($"numasim: {Variable}: stopped after {StopAfter} files");
            Thread.Sleep(Timeout.Infinite);
        }
    }
}

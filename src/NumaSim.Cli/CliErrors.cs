using NumaSim.Formats.Output;
using NumaSim.Workloads.Config;

namespace NumaSim.Cli;

/// <summary>Turns the ways input can be bad into one line on standard error and exit code 2.</summary>
public static class CliErrors
{
    public static int BadInput(string message)
    {
        Console.Error.WriteLine($"numasim: {message.ReplaceLineEndings(" ")}");
        return ExitCodes.BadInput;
    }

    /// <summary>One line and exit 5: what the machine or the file system refused.</summary>
    public static int Environment(string message)
    {
        Console.Error.WriteLine($"numasim: {message.ReplaceLineEndings(" ")}");
        return ExitCodes.Environment;
    }

    /// <summary>An option's file that is not there, or is a directory.</summary>
    public static int NotAFile(string option, string path) =>
        BadInput(Directory.Exists(path) ? $"{option}: {path} is a directory, not a file" : $"{option}: {path} not found");

    /// <summary>Runs an action; configuration, format and file errors become exit 2 with one line.</summary>
    public static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (ConfigException e)
        {
            return BadInput(e.Message);
        }
        catch (OutputLocationException e)
        {
            return Environment(e.Message);
        }
        catch (OperationCanceledException) when (Interruption.Requested)
        {
            // Before the run had a round to stop at (members still joining): nothing to write.
            Console.Error.WriteLine($"numasim: {Interruption.Reason} before the run started: nothing written");
            return Interruption.ExitCode;
        }
        catch (FormatException e)
        {
            return BadInput(e.Message);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return BadInput(e.Message);
        }
    }
}

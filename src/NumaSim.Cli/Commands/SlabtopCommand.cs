using System.CommandLine;
using System.Globalization;
using NumaSim.Formats.Output;
using NumaSim.Formats.Proc;

namespace NumaSim.Cli.Commands;

/// <summary>
/// `numasim slabtop`: procps-ng's slabtop over a slabinfo file, a run's DIR/proc/slabinfo or any other (a real
/// /proc/slabinfo too). With --once it prints exactly what `slabtop --once` prints for that file; without, it redraws
/// the same view every --delay seconds until Ctrl-C or q, and a sort letter typed on a terminal re-sorts it.
/// </summary>
public static class SlabtopCommand
{
    private const int DefaultDelaySeconds = 3; // slabtop's DEFAULT_DELAY

    /// <summary>Lines slabtop's live view keeps for the summary and headings (it shows Rows - 8 caches).</summary>
    private const int ScreenOverhead = 8;

    private const string Home = "\u001b[H\u001b[2J";
    private const string Reverse = "\u001b[7m";
    private const string Normal = "\u001b[0m";

    public static Command Create()
    {
        var dir = new Argument<string?>("DIR")
        {
            Description = "Output tree of `numasim run --out DIR`; reads DIR/proc/slabinfo. Default: numasim-out",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var slabinfo = new Option<string?>("--slabinfo") { Description = "Read this slabinfo file instead (e.g. /proc/slabinfo)", HelpName = "FILE" };
        var once = new Option<bool>("--once", "-o") { Description = "Display once, then exit (as slabtop --once)" };
        var sort = new Option<string>("--sort", "-s")
        {
            Description = "Sort letter, as slabtop's: " + string.Join(", ", SlabtopRenderer.SortLetters.Select(l => $"{l.Letter} ({Describe(l.Key)})")),
            HelpName = "CHAR",
            DefaultValueFactory = _ => "o",
        };
        var delay = new Option<int?>("--delay", "-d") { Description = $"Seconds between redraws (default {DefaultDelaySeconds}); not with --once", HelpName = "SECS" };
        var pageSize = new Option<int>("--page-size")
        {
            Description = "Bytes per page for CACHE SIZE. slabtop uses the reading machine's (getpagesize()); give the simulated "
                + "machine's to read an arm64 16K or 64K run",
            HelpName = "BYTES",
            DefaultValueFactory = _ => Environment.SystemPageSize,
        };

        var command = new Command("slabtop", "Slab caches of a slabinfo file, summarized and sorted as procps-ng's slabtop shows them.")
        {
            dir, slabinfo, once, sort, delay, pageSize,
        };
        command.SetAction(Interruption.Handle((parse, cancel) => CliErrors.Guard(async () =>
        {
            var file = parse.GetValue(slabinfo);
            var tree = parse.GetValue(dir);
            if (file is not null && tree is not null)
            {
                return CliErrors.BadInput("slabtop: give DIR or --slabinfo FILE, not both");
            }
            Func<string> path = file is not null ? () => file : () => TreeSlabinfo(tree ?? "numasim-out");
            var letter = parse.GetValue(sort)!;
            if (letter.Length != 1 || !SlabtopRenderer.TryParseSortLetter(letter[0], out var key))
            {
                return CliErrors.BadInput($"--sort: '{letter}' is not a sort letter; valid: {string.Join(' ', SlabtopRenderer.SortLetters.Select(l => l.Letter))}");
            }
            var bytesPerPage = parse.GetValue(pageSize);
            if (bytesPerPage <= 0)
            {
                return CliErrors.BadInput($"--page-size: must be a positive number of bytes, found {bytesPerPage}");
            }
            var seconds = parse.GetValue(delay);
            if (parse.GetValue(once))
            {
                if (seconds is not null)
                {
                    return CliErrors.BadInput("slabtop: cannot combine --delay and --once");
                }
                Console.Out.Write(SlabtopRenderer.Render(SlabinfoParser.ReadFile(path()), key, bytesPerPage));
                return ExitCodes.Success;
            }
            if (seconds is < 1)
            {
                return CliErrors.BadInput($"--delay: must be a positive number of seconds, found {seconds}");
            }
            await Live(path, key, bytesPerPage, TimeSpan.FromSeconds(seconds ?? DefaultDelaySeconds), cancel).ConfigureAwait(false);
            return ExitCodes.Success;
        })));
        return command;
    }

    /// <summary>DIR/proc/slabinfo, or while a run writes DIR, the live one in its staging directory.</summary>
    private static string TreeSlabinfo(string tree)
    {
        var live = OutputTransaction.LiveStaging(tree) is { } staging ? Path.Combine(staging, "proc", "slabinfo") : null;
        return live is not null && File.Exists(live) ? live : Path.Combine(tree, "proc", "slabinfo");
    }

    /// <summary>Clears the screen and redraws the view from the file every <paramref name="delay"/>, until cancelled or q.</summary>
    private static async Task Live(Func<string> file, SlabtopSortKey key, int pageSize, TimeSpan delay, CancellationToken cancel)
    {
        var terminal = !Console.IsOutputRedirected;
        var keys = !Console.IsInputRedirected;
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                var rows = SlabinfoParser.ReadFile(file());
                var shown = terminal ? TerminalRows() - ScreenOverhead : rows.Count;
                Console.Out.Write(Home + SlabtopRenderer.RenderSummary(rows)
                    + Reverse + SlabtopRenderer.Headings.PadRight(78) + Normal + "\n"
                    + SlabtopRenderer.RenderDetails(rows, key, pageSize, shown));
                var pressed = await WaitForKey(keys, delay, cancel).ConfigureAwait(false);
                if (pressed is 'q' or 'Q')
                {
                    break;
                }
                if (pressed is { } letter && SlabtopRenderer.TryParseSortLetter(letter, out var chosen))
                {
                    key = chosen;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: leave as slabtop does, with exit code 0.
        }
    }

    /// <summary>The terminal's height, or 24 when it reports 10 rows or fewer (slabtop's term_resize).</summary>
    private static int TerminalRows()
    {
        try
        {
            return Console.WindowHeight > 10 ? Console.WindowHeight : 24;
        }
        catch (IOException)
        {
            return 24;
        }
    }

    /// <summary>The key typed within <paramref name="delay"/> (only when standard input is a terminal), or null.</summary>
    private static async Task<char?> WaitForKey(bool keys, TimeSpan delay, CancellationToken cancel)
    {
        if (!keys)
        {
            await Task.Delay(delay, cancel).ConfigureAwait(false);
            return null;
        }
        var deadline = DateTime.UtcNow + delay;
        while (DateTime.UtcNow < deadline)
        {
            if (Console.KeyAvailable)
            {
                return Console.ReadKey(intercept: true).KeyChar;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancel).ConfigureAwait(false);
        }
        return null;
    }

    private static string Describe(SlabtopSortKey key) => key switch
    {
        SlabtopSortKey.ActiveObjects => "active objects",
        SlabtopSortKey.ObjectsPerSlab => "objects per slab",
        SlabtopSortKey.CacheSize => "cache size",
        SlabtopSortKey.Slabs => "slabs",
        SlabtopSortKey.ActiveSlabs => "active slabs",
        SlabtopSortKey.Name => "name",
        SlabtopSortKey.Objects => "objects, the default",
        SlabtopSortKey.PagesPerSlab => "pages per slab",
        SlabtopSortKey.ObjectSize => "object size",
        SlabtopSortKey.Utilization => "utilization",
        _ => key.ToString(),
    };
}

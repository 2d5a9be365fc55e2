using System.Globalization;
using System.Text.RegularExpressions;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>Bad input exits 2 with exactly one line on stderr: `numasim: FILE:LINE: key.path: problem`.</summary>
public sealed partial class BadInputTests
{
    private const int BadInput = 2;

    /// <summary>Where an error may point: a key path (or its prefix) and a unique text on the expected line.</summary>
    private sealed record Blame(string Key, string Marker);

    private sealed record BadCase(string Text, params Blame[] Accepted);

    private static readonly string Base = Scenarios.TwoNode();

    private const string Dma = """{ type = "DMA", start-pfn = 1, spanned = 4095, present = 4095, managed = 4000 }""";
    private const string Dma32 = """{ type = "DMA32", start-pfn = 4096, spanned = 16384, present = 16384, managed = 16000 }""";

    private static readonly Dictionary<string, BadCase> Cases = new()
    {
        ["ragged distance matrix"] = new(
            Scenarios.Replace(Base, "distance = [[10, 21], [21, 10]]", "distance = [[10, 21], [21]]"),
            new Blame("numasim.topology.distance", "distance = ")),
        ["non-square distance matrix"] = new(
            Scenarios.Replace(Base, "distance = [[10, 21], [21, 10]]", "distance = [[10, 21, 31], [21, 10, 31]]"),
            new Blame("numasim.topology.distance", "distance = ")),
        ["self-distance not 10"] = new(
            Scenarios.Replace(Base, "distance = [[10, 21], [21, 10]]", "distance = [[10, 21], [21, 12]]"),
            new Blame("numasim.topology.distance", "distance = ")),
        ["remote distance equal to 10"] = new(
            Scenarios.Replace(Base, "distance = [[10, 21], [21, 10]]", "distance = [[10, 10], [10, 10]]"),
            new Blame("numasim.topology.distance", "distance = ")),
        ["remote distance below 10"] = new(
            Scenarios.Replace(Base, "distance = [[10, 21], [21, 10]]", "distance = [[10, 5], [5, 10]]"),
            new Blame("numasim.topology.distance", "distance = ")),
        ["overlapping PFN ranges of two zones"] = new(
            Scenarios.WithZones(Dma, Dma32, """{ type = "DMA32", start-pfn = 16384, spanned = 16384, present = 16384, managed = 16000 }"""),
            new Blame("numasim.topology.nodes[1].zones[0]", "start-pfn = 16384"),
            new Blame("numasim.topology.nodes[0].zones[1]", "start-pfn = 4096,")),
        ["a CPU on two nodes"] = new(
            Scenarios.Replace(Base, "id = 1, cpus = \"2-3\"", "id = 1, cpus = \"1-3\""),
            new Blame("numasim.topology.nodes[1].cpus", "id = 1,"),
            new Blame("numasim.topology.nodes[0].cpus", "id = 0,")),
        ["DMA zone beyond 16 MiB"] = new(
            Scenarios.WithZones(
                """{ type = "DMA", start-pfn = 0, spanned = 8192, present = 8192, managed = 8000 }""",
                """{ type = "DMA32", start-pfn = 8192, spanned = 16384, present = 16384, managed = 16000 }""",
                """{ type = "DMA32", start-pfn = 24576, spanned = 16384, present = 16384, managed = 16000 }"""),
            new Blame("numasim.topology.nodes[0].zones[0]", """type = "DMA", """)),
        ["DMA32 zone beyond 4 GiB"] = new(
            Scenarios.WithZones(Dma, Dma32, """{ type = "DMA32", start-pfn = 1040384, spanned = 16384, present = 16384, managed = 16000 }"""),
            new Blame("numasim.topology.nodes[1].zones[0]", "start-pfn = 1040384")),
        ["unknown key in a stream"] = new(
            Scenarios.Replace(Base, "think-time = 200ns\n", "think-time = 200ns\n        bogus = 1\n"),
            new Blame("numasim.workload.streams[0].bogus", "bogus = 1")),
        ["unknown key under numasim"] = new(
            Scenarios.Replace(Base, "  seed = 7\n", "  seed = 7\n  bogus = 1\n"),
            new Blame("numasim.bogus", "bogus = 1")),
        ["operations of the wrong type"] = new(
            Scenarios.Replace(Base, "operations = 300", "operations = \"many\""),
            new Blame("numasim.workload.streams[0].operations", "operations = ")),
        ["unknown gfp flag"] = new(
            Scenarios.Replace(Base, "gfp = \"GFP_HIGHUSER_MOVABLE\"", "gfp = \"GFP_HIGHUSER_MOVABLE|__GFP_BOGUS\""),
            new Blame("numasim.workload.streams[0].mix[1].gfp", "__GFP_BOGUS")),
        ["order above 10"] = new(
            Scenarios.Replace(Base, "order = 2,", "order = 11,"),
            new Blame("numasim.workload.streams[0].mix[2].order", "order = 11")),
    };

    /// <summary>A scenario of one task on the two-node machine, for the task keys' cases.</summary>
    private static string Task(string task) => Base[..Base.IndexOf("  workload {", StringComparison.Ordinal)] + $"  workload.tasks = [ {task} ]\n}}\n";

    /// <summary>Numbers from input at the edges of what a long, a double or the machine holds (issue 19).</summary>
    private static readonly Dictionary<string, BadCase> ArithmeticCases = new()
    {
        ["write-ratio NaN"] = new(
            Task("{ cpus = \"0\", working-set = 1M, write-ratio = NaN }"),
            new Blame("numasim.workload.tasks[0].write-ratio", "write-ratio")),
        ["write-ratio Infinity"] = new(
            Task("{ cpus = \"0\", working-set = 1M, write-ratio = Infinity }"),
            new Blame("numasim.workload.tasks[0].write-ratio", "write-ratio")),
        ["zipf exponent Infinity"] = new(
            Task("{ cpus = \"0\", working-set = 1M, pattern = \"zipf:Infinity\" }"),
            new Blame("numasim.workload.tasks[0].pattern", "pattern")),
        ["memory of 8E and more"] = new(
            Scenarios.Replace(Base, "{ id = 0, cpus = \"0-1\", memory = 64M }", "{ id = 0, cpus = \"0-1\", memory = 9999999T }"),
            new Blame("numasim.topology.nodes[0].memory", "9999999T")),
        ["a duration of 292 years and more"] = new(
            Scenarios.Replace(Base, "think-time = 200ns", "think-time = 9999999999s"),
            new Blame("numasim.workload.streams[0].think-time", "think-time")),
        ["a touch of 2^63-1 bytes"] = new(
            Task("{ cpus = \"0\", steps = [ { touch = 9223372036854775807 } ] }"),
            new Blame("numasim.workload.tasks[0].steps[0].touch", "touch")),
        ["a zone whose end PFN would wrap"] = new(
            Scenarios.WithZones(Dma, Dma32, "{ type = \"DMA32\", start-pfn = 9223372036854775000, spanned = 16384, present = 16384, managed = 16000 }"),
            new Blame("numasim.topology.nodes[1].zones[0]", "start-pfn = 9223372036854775000")),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    public static TheoryData<string> ArithmeticCaseNames => new(ArithmeticCases.Keys);

    /// <summary>HOCON syntax errors, with the lines an error may name (where the fault is or where it is detected).</summary>
    private static readonly Dictionary<string, (string Text, int[] Lines)> SyntaxCases = new()
    {
        ["doubled comma"] = ("numasim {\n  seed = 7,,\n}\n", [2]),
        ["array closed by a brace"] = ("numasim {\n  seed = 7\n  workload {\n    streams = [\n  }\n}\n", [4, 5, 6]),
        ["object not closed at end of file"] = ("numasim {\n  seed = 7\n", [1, 2, 3]),
        ["stray closing brace"] = ("numasim {\n  seed = 7\n}\n}\n", [4]),
        ["unresolved substitution"] = ("numasim {\n  seed = 7\n  topology {\n    name = ${undefined.ref}\n  }\n}\n", [4]),
        ["substitution of itself"] = ("numasim {\n  seed = ${numasim.seed}\n}\n", [2]),
        ["two substitutions in a cycle"] = ("numasim {\n  seed = 7\n  a = ${numasim.b}\n  b = ${numasim.a}\n}\n", [3, 4]),
        ["30,000 nested braces"] = ("numasim { x = " + string.Concat(Enumerable.Repeat("{a=", 30_000)) + "1" + new string('}', 30_000) + " }\n", [1]),
        ["a root that is not an object"] = ("numasim = [1, 2, 3]\n", [1]),
        ["unset environment variable"] = ("numasim {\n  seed = ${NUMASIM_TEST_UNSET_VARIABLE}\n}\n", [2]),
        ["include directive"] = ("include \"other.conf\"\nnumasim {\n  seed = 7\n}\n", [1]),
    };

    public static TheoryData<string> SyntaxCaseNames => new(SyntaxCases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Bad_scenario_exits_2_naming_file_line_and_key(string name)
    {
        var bad = Cases[name];
        using var dir = new TempDirectory();
        dir.Write("bad.conf", bad.Text);

        var run = CliRunner.Run(dir.Path, "run", "bad.conf", "--out", "out", "--quiet");

        AssertBlamed(bad, run);
    }

    [Theory]
    [MemberData(nameof(ArithmeticCaseNames))]
    public void Out_of_range_number_exits_2_naming_file_line_and_key_and_writes_no_tree(string name)
    {
        var bad = ArithmeticCases[name];
        using var dir = new TempDirectory();
        dir.Write("bad.conf", bad.Text);

        var run = CliRunner.Run(dir.Path, "run", "bad.conf", "--out", "out", "--quiet");

        AssertBlamed(bad, run);
        Assert.False(Directory.Exists(dir["out"]), "an output tree was written for bad input");
    }

    [Fact]
    public void Proc_reports_bad_input_the_same_way_as_run()
    {
        var bad = Cases["self-distance not 10"];
        using var dir = new TempDirectory();
        dir.Write("bad.conf", bad.Text);

        var proc = CliRunner.Run(dir.Path, "proc", "buddyinfo", "bad.conf");

        var error = AssertOneErrorLine(proc);
        Assert.Equal("bad.conf", error.File);
        Assert.Equal(Scenarios.LineOf(bad.Text, "distance = "), error.Line);
        Assert.StartsWith("numasim.topology.distance", error.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_topology_file_is_named_with_its_own_line()
    {
        using var dir = new TempDirectory();
        dir.Write("small.conf", Scenarios.TwoNode());
        var topology = """
            # a machine with a bad SLIT
            numasim.topology {
              name = "bad"
              nodes = [
                { id = 0, cpus = "0-1", memory = 64M }
                { id = 1, cpus = "2-3", memory = 64M }
              ]
              distance = [[10, 21], [21, 11]]
            }

            """;
        dir.Write("bad-topology.conf", topology);

        var run = CliRunner.Run(dir.Path, "run", "small.conf", "--topology", "bad-topology.conf", "--out", "out", "--quiet");

        var error = AssertOneErrorLine(run);
        Assert.Equal("bad-topology.conf", error.File);
        Assert.Equal(Scenarios.LineOf(topology, "distance = "), error.Line);
        Assert.True(KeyMatches(error.Key, "numasim.topology.distance"), run.ToString());
    }

    [Theory]
    [MemberData(nameof(SyntaxCaseNames))]
    public void Hocon_syntax_error_exits_2_naming_file_and_line(string name)
    {
        var (text, lines) = SyntaxCases[name];
        using var dir = new TempDirectory();
        dir.Write("broken.conf", text);

        // A small file parses in well under a second; the cap keeps a parser hang from stalling the suite.
        var run = CliRunner.RunWithTimeout(dir.Path, TimeSpan.FromSeconds(20), "run", "broken.conf", "--out", "out", "--quiet");

        Assert.False(run.TimedOut, $"numasim hung on a HOCON syntax error (killed after 20 s)\n{Numbered(text)}\n{run}");
        var error = AssertOneErrorLine(run);
        Assert.Equal("broken.conf", error.File);
        Assert.True(lines.Contains(error.Line), $"expected line {string.Join(" or ", lines)}, got {error.Line}\n{Numbered(text)}\n{run}");
    }

    [Fact]
    public void Missing_scenario_file_exits_2_naming_it()
    {
        using var dir = new TempDirectory();

        var run = CliRunner.Run(dir.Path, "run", "missing.conf", "--out", "out", "--quiet");

        // A file that does not exist has no line or key: "numasim: missing.conf: problem" is enough.
        Assert.True(run.ExitCode == BadInput, $"expected exit {BadInput}\n{run}");
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("numasim: missing.conf:", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["out"]), "an output tree was written for a missing scenario");
    }

    [Theory]
    [InlineData("--bogus", "run", "--bogus")]
    [InlineData("--bogus", "proc", "buddyinfo", "--bogus")]
    [InlineData("nope", "proc", "nope")]
    [InlineData("frobnicate", "frobnicate")]
    public void Bad_command_line_exits_2_with_one_line(string culprit, params string[] args)
    {
        using var dir = new TempDirectory();

        var run = CliRunner.Run(dir.Path, args);

        Assert.True(run.ExitCode == BadInput, run.ToString());
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("numasim: ", line, StringComparison.Ordinal);
        Assert.Contains(culprit, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("numasim: unknown option --quite (did you mean --quiet? see numasim run --help)", "run", "--quite")]
    [InlineData("numasim: unknown option --quite (did you mean --quiet? see numasim run --help)", "run", "--quite", "x.conf")]
    [InlineData("numasim: unknown option --topolgy (did you mean --topology? see numasim proc --help)", "proc", "buddyinfo", "--topolgy", "two-socket")]
    [InlineData("numasim: unknown command rn (did you mean run? commands: ", "rn")]
    [InlineData("numasim: --seed: expected an integer, found \"abc\" (see numasim run --help)", "run", "--seed", "abc")]
    [InlineData("numasim: --processes: expected an integer, found \"two\" (see numasim run --help)", "run", "--processes", "two")]
    [InlineData("numasim: --linger: expected a number, found \"1m\" (see numasim run --help)", "run", "--linger", "1m")]
    [InlineData("numasim: --delay: expected an integer, found \"x\" (see numasim slabtop --help)", "slabtop", "--delay", "x")]
    public void A_usage_mistake_is_one_line_that_says_what_it_is(string expected, params string[] args)
    {
        using var dir = new TempDirectory();

        var run = CliRunner.Run(dir.Path, args);

        Assert.True(run.ExitCode == BadInput, run.ToString());
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("numasim: config: is a directory; give a scenario file", "run", "config")]
    [InlineData("numasim: config: is a directory; give a topology file", "run", "default", "--topology", "config")]
    [InlineData("numasim: config: is a directory; give a scenario file", "proc", "buddyinfo", "config")]
    [InlineData("numasim: config: is a directory, not a trace file", "replay", "config")]
    [InlineData("numasim: config: is a directory, not a file", "slabtop", "--slabinfo", "config", "--once")]
    [InlineData("numasim: --certificate: config is a directory, not a file", "run", "--processes", "2", "--certificate", "config")]
    public void A_directory_where_a_file_is_expected_is_named_as_a_directory(string expected, params string[] args)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir["config"]);

        var run = CliRunner.Run(dir.Path, args);

        Assert.True(run.ExitCode == BadInput, run.ToString());
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void More_processes_than_nodes_is_refused_before_any_member_starts()
    {
        using var dir = new TempDirectory();

        // default.conf has 2 nodes; a member process would take seconds to start and join, and print its address.
        var run = CliRunner.RunWithTimeout(dir.Path, TimeSpan.FromSeconds(30), "run", "default", "--processes", "3", "--out", "out", "--quiet");

        Assert.True(run.ExitCode == BadInput, run.ToString());
        var line = Assert.Single(run.StderrLines);
        Assert.Equal("numasim: --processes 3: the machine has 2 NUMA node(s) and each process hosts at least one; give at most 2", line);
        Assert.False(Directory.Exists(dir["out"]), "an output tree was written");
    }

    private sealed record ErrorLine(string File, int Line, string Key, string Problem);

    private static ErrorLine AssertOneErrorLine(CliResult run)
    {
        Assert.False(run.TimedOut, run.ToString());
        Assert.True(run.ExitCode == BadInput, $"expected exit {BadInput}\n{run}");
        Assert.True(run.StderrLines.Length == 1, $"expected exactly one line on stderr\n{run}");
        var m = ErrorFormat().Match(run.StderrLines[0]);
        Assert.True(m.Success, $"stderr is not 'numasim: FILE:LINE: key.path: problem'\n{run}");
        return new ErrorLine(
            m.Groups["file"].Value,
            int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture),
            m.Groups["key"].Value,
            m.Groups["problem"].Value);
    }

    /// <summary>One error line naming bad.conf at one of the accepted keys and lines.</summary>
    private static void AssertBlamed(BadCase bad, CliResult run)
    {
        var error = AssertOneErrorLine(run);
        Assert.Equal("bad.conf", error.File);
        Assert.True(
            bad.Accepted.Any(b => KeyMatches(error.Key, b.Key) && error.Line == Scenarios.LineOf(bad.Text, b.Marker)),
            $"expected {string.Join(" or ", bad.Accepted.Select(b => $"{b.Key} at line {Scenarios.LineOf(bad.Text, b.Marker)}"))}, " +
            $"got {error.Key} at line {error.Line}\n{Numbered(bad.Text)}\n{run}");
    }

    /// <summary>The reported key is the expected one or a path below it (".x" or "[i]").</summary>
    private static bool KeyMatches(string reported, string expected) =>
        reported == expected
        || (reported.StartsWith(expected, StringComparison.Ordinal) && reported[expected.Length] is '.' or '[');

    private static string Numbered(string text) =>
        string.Join('\n', text.Split('\n').Select((l, i) => $"{i + 1,3}  {l}"));

    [GeneratedRegex(@"^numasim: (?<file>[^:]+):(?<line>\d+): (?<key>\S+): (?<problem>.+)$")]
    private static partial Regex ErrorFormat();
}

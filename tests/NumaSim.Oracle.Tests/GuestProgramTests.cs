using NumaSim.Oracle.Guest;
using NumaSim.Oracle.Tests.Support;

namespace NumaSim.Oracle.Tests;

/// <summary>The guest program's argument handling, compiled with the host's gcc exactly as `numasim validate` builds it.</summary>
public sealed class GuestProgramTests : IClassFixture<GuestProgramTests.Built>
{
    private readonly Built _built;

    public GuestProgramTests(Built built) => _built = built;

    [FactWhenGcc]
    public async Task Check_prints_every_kind_of_step_as_parsed()
    {
        var (code, output) = await _built.RunAsync("--check", "--cpu", "3", "--ready", "/tmp/ready",
            "policy=interleave:0-1,3", "read=/mnt/big:3758096384", "touch=1073741824:thp", "touch=4096",
            "move-to=2", "access=5000000000:10000", "policy=bind:1", "policy=preferred:2", "policy=local", "policy=default",
            "policy=preferred-many:0-1", "policy=weighted-interleave:0,2", "migrate-pages=0-1,3:1");

        Assert.Equal(0, code);
        Assert.Equal(
            """
            cpu 3
            ready /tmp/ready
            policy interleave nodes 0,1,3
            read /mnt/big bytes 3758096384
            touch bytes 1073741824 thp
            touch bytes 4096 nothp
            move-to cpu 2
            access ns 5000000000 think-ns 10000
            policy bind nodes 1
            policy preferred nodes 2
            policy local
            policy default
            policy preferred-many nodes 0,1
            policy weighted-interleave nodes 0,2
            migrate-pages old 0,1,3 new 1

            """.ReplaceLineEndings("\n"),
            output);
    }

    [FactWhenGcc]
    public async Task No_steps_is_an_empty_task()
    {
        var (code, output) = await _built.RunAsync("--check", "--cpu", "0");

        Assert.Equal(0, code);
        Assert.Equal("cpu 0\n", output);
    }

    [TheoryWhenGcc]
    [InlineData("policy=preferred:0-1", "preferred takes one node")]
    [InlineData("policy=bind:", "expected a node list")]
    [InlineData("policy=bind:1-0", "expected a node list")]
    [InlineData("policy=bind:64", "expected a node list")]
    [InlineData("policy=weighted:0", "expected default, local")]
    [InlineData("policy=preferred-many:", "expected a node list")]
    [InlineData("touch=0", "BYTES is not a positive number")]
    [InlineData("touch=1G", "BYTES is not a positive number")]
    [InlineData("touch=4096:huge", "expected touch=BYTES or touch=BYTES:thp")]
    [InlineData("touch=-1", "BYTES is not a positive number")]
    [InlineData("read=/mnt/big", "expected read=PATH:BYTES")]
    [InlineData("read=/mnt/big:x", "BYTES is not a number")]
    [InlineData("read=:10", "expected read=PATH:BYTES")]
    [InlineData("move-to=x", "CPU is not a CPU number")]
    [InlineData("migrate-pages=1", "expected migrate-pages=OLD:NEW")]
    [InlineData("migrate-pages=0-1:", "expected node lists")]
    [InlineData("access=5s:0", "expected access=NS:THINK_NS")]
    [InlineData("mbind=bind:", "expected a node list")]
    [InlineData("mbind-move=interleave", "expected default, local")]
    [InlineData("move-pages=", "expected a node list")]
    [InlineData("access=100", "expected access=NS:THINK_NS")]
    [InlineData("sleep=1", "unknown step")]
    [InlineData("touch", "expected NAME=VALUE")]
    [InlineData("--verbose", "unknown option")]
    public async Task Bad_arguments_exit_2_naming_the_argument(string argument, string why)
    {
        var (code, output) = await _built.RunAsync("--check", "policy=local", argument);

        Assert.Equal(2, code);
        Assert.Contains($"numasim-guest: {argument}: ", output, StringComparison.Ordinal);
        Assert.Contains(why, output, StringComparison.Ordinal);
    }

    [FactWhenGcc]
    public async Task An_option_without_its_value_is_bad()
    {
        var (code, output) = await _built.RunAsync("--check", "--cpu");

        Assert.Equal(2, code);
        Assert.Contains("needs a value", output, StringComparison.Ordinal);
    }

    [FactWhenGcc]
    public async Task Without_check_it_runs_the_steps_and_says_ready()
    {
        // A real run on the host: touch 1 MiB and read a file, then say ready; the test ends the held process.
        using var dir = new TempDir();
        dir.Write("data", new string('x', 10000));
        var ready = dir.File("ready");
        var run = HostProcess.RunAsync(_built.Binary, ["--ready", ready, "touch=1048576", $"read={dir.File("data")}:10000"], TimeSpan.FromSeconds(3));
        for (var i = 0; i < 200 && !File.Exists(ready); i++)
        {
            await Task.Delay(50);
        }
        var said = File.Exists(ready) ? await File.ReadAllTextAsync(ready) : "";
        var outcome = await run; // the time limit kills the held process

        Assert.Equal("ready\n", said);
        Assert.Null(outcome.ExitCode);
        Assert.Contains("touched 256 pages", outcome.Output, StringComparison.Ordinal);
        Assert.Contains($"read 10000 bytes of {dir.File("data")}", outcome.Output, StringComparison.Ordinal);
    }

    /// <summary>The program, built once for the class.</summary>
    public sealed class Built : IDisposable
    {
        private readonly TempDir _dir = new();
        private readonly Lazy<Task<string>> _binary;

        public Built() => _binary = new(() => GuestProgram.BuildAsync(_dir.Path));

        public string Binary => _binary.Value.GetAwaiter().GetResult();

        public async Task<(int? Code, string Output)> RunAsync(params string[] args)
        {
            var outcome = await HostProcess.RunAsync(await _binary.Value, args, TimeSpan.FromSeconds(20));
            return (outcome.ExitCode, outcome.Output);
        }

        public void Dispose() => _dir.Dispose();
    }
}

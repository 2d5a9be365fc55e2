using NumaSim.Model.PageAlloc;
using NumaSim.Workloads.Config;

namespace NumaSim.Workloads.Tests;

public sealed class ScenarioLoadingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("numasim-scenario-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "s.conf");
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("default")]
    [InlineData("terabyte")]
    public void Shipped_scenarios_load(string name)
    {
        var scenario = ScenarioLoader.Load(Path.Combine(ShippedConfig.Directory, "scenarios", name + ".conf"));
        Assert.Equal(name, scenario.Name);
        Assert.NotEmpty(scenario.Streams);
    }

    [Theory]
    [InlineData("single-node", 1)]
    [InlineData("two-socket", 2)]
    [InlineData("four-node", 4)]
    [InlineData("eight-node-1tib", 8)]
    public void Shipped_topologies_load(string name, int nodes) =>
        Assert.Equal(nodes, ScenarioLoader.LoadTopologyFile(ShippedConfig.Topology(name)).Nodes.Count);

    [Fact]
    public void Eight_node_topology_holds_one_tebibyte() =>
        Assert.Equal(1L << 40, ScenarioLoader.LoadTopologyFile(ShippedConfig.Topology("eight-node-1tib")).Nodes.Sum(n => n.Zones.Sum(z => z.Spanned)) << 12);

    [Fact]
    public void A_stream_reads_its_policy_gfp_and_durations()
    {
        var scenario = ScenarioLoader.Load(Write("""
            numasim {
              seed = 9
              topology = "two-socket"
              sim.quantum = 2us
              workload.streams = [
                { cpus = "0-3", operations = 10, think-time = 1.5us, policy = "interleave:0-1",
                  mix = [{ weight = 2, order = 3, gfp = "GFP_KERNEL | __GFP_THISNODE", lifetime = 20us }, { order = 0, gfp = GFP_ATOMIC }] }
              ]
            }
            """));
        var stream = Assert.Single(scenario.Streams);
        Assert.Equal(9, scenario.Seed);
        Assert.Equal(2000, scenario.QuantumNs);
        Assert.Equal(1500, stream.MeanThinkTimeNs);
        Assert.Equal(new MemPolicy(MemPolicyMode.Interleave, [0, 1]).ToString(), stream.Policy.ToString());
        Assert.Equal(Gfp.Kernel | Gfp.ThisNode, stream.Mix[0].Gfp);
        Assert.Equal(20_000, stream.Mix[0].MeanLifetimeNs);
        Assert.Null(stream.Mix[1].MeanLifetimeNs);
        Assert.Equal(Gfp.Atomic, stream.Mix[1].Gfp);
    }

    [Theory]
    [InlineData("numasim { bogus = 1 }", 1, "numasim.bogus", "unknown key")]
    [InlineData("numasim {\n  workload.streams = [{ cpus = \"0\", operations = many, mix = [{ order = 0 }] }]\n}", 2, "numasim.workload.streams[0].operations", "whole number")]
    [InlineData("numasim {\n  topology = \"two-socket\"\n  workload.streams = [{ cpus = \"0\", operations = 1,\n    mix = [{ order = 0, gfp = \"GFP_BOGUS\" }] }]\n}", 4, "numasim.workload.streams[0].mix[0].gfp", "unknown gfp")]
    [InlineData("numasim {\n  topology = \"two-socket\"\n  workload.streams = [{ cpus = \"0-99\", operations = 1, mix = [{ order = 0 }] }]\n}", 3, "numasim.workload.streams[0].cpus", "not in the topology")]
    [InlineData("numasim {\n  topology = \"two-socket\"\n  workload.streams = [{ cpus = \"0\", operations = 1, policy = \"bind:7\", mix = [{ order = 0 }] }]\n}", 3, "numasim.workload.streams[0].policy", "node 7")]
    [InlineData("numasim.topology = \"no-such-machine\"", 1, "numasim.topology", "no shipped topology")]
    [InlineData("numasim { seed = 1\n  latency { zone-message = 5 }\n}", 2, "numasim.latency.zone-message", "duration")]
    public void Bad_scenarios_name_file_line_and_key(string text, int line, string key, string problem)
    {
        var path = Write(text);
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Load(path));
        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(key, e.KeyPath);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_syntax_error_is_bad_input_with_a_line()
    {
        var path = Write("numasim {\n  seed = 1\n  sim { quantum = }\n}\n");
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Load(path));
        Assert.Equal("(syntax)", e.KeyPath);
        Assert.Equal(3, e.Line);
        Assert.Contains("no value", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("numasim {\n  seed = 1\n", 1, "never closed")]
    [InlineData("numasim {\n  seed = 1\n}\n}\n", 4, "closes nothing")]
    [InlineData("numasim {\n  workload.streams = [\n  }\n", 3, "does not match")]
    [InlineData("numasim {\n  topology = \"two-socket\n}\n", 2, "not closed")]
    public void Unbalanced_hocon_that_akka_would_accept_is_a_syntax_error(string text, int line, string problem)
    {
        var path = Write(text);
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Load(path));
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_bad_input() =>
        Assert.Contains("no such file", Assert.Throws<ConfigException>(() => ScenarioLoader.Load(Path.Combine(_dir, "none.conf"))).Message, StringComparison.Ordinal);
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>`numasim run` exporting to a real Prometheus server and to an OTLP/HTTP collector on loopback.</summary>
public sealed class TelemetryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>CPU 0 on node 0 and CPU 1 on node 1; the stream on CPU 1 interleaves, so zones on node 0 serve it.</summary>
    private const string CrossNode = """
        numasim {
          seed = 3
          topology {
            nodes = [
              { id = 0, cpus = "0", memory = 128M }
              { id = 1, cpus = "1", memory = 128M }
            ]
            distance = [[10, 21], [21, 10]]
          }
          workload.streams = [
            { cpus = "1", operations = 1500, think-time = 300ns, policy = "interleave:0-1",
              mix = [ { weight = 1, order = 0, gfp = "GFP_KERNEL", lifetime = 30us } ] }
          ]
        }
        """;

    [FactWhenPrometheus]
    public async Task Prometheus_scrapes_a_running_simulation_and_sees_the_runs_numastat_per_node()
    {
        using var dir = new TempDirectory();
        var metricsPort = FreePort.Next();
        var prometheusPort = FreePort.Next();
        using var numasim = CliRunner.StartInBackground(dir.Path, new Dictionary<string, string>(),
            "run", "--out", "out", "--quiet", "--prometheus-port", metricsPort.ToString(CultureInfo.InvariantCulture), "--linger", "120");
        Process? prometheus = null;
        try
        {
            // summary.json is written before the run lingers: from then on the endpoint serves the final figures.
            await Until(() => File.Exists(dir["out/summary.json"]) || numasim.HasExited, "numasim to finish its run");
            Assert.False(numasim.HasExited, "numasim exited instead of lingering");
            dir.Write("prometheus.yml", $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: numasim
                    static_configs:
                      - targets: ["127.0.0.1:{metricsPort}"]
                """);
            prometheus = Process.Start(new ProcessStartInfo(CliRunner.Which("prometheus")!)
            {
                ArgumentList =
                {
                    "--config.file=" + dir["prometheus.yml"],
                    "--storage.tsdb.path=" + dir["tsdb"],
                    "--web.listen-address=127.0.0.1:" + prometheusPort.ToString(CultureInfo.InvariantCulture),
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            prometheus.OutputDataReceived += (_, _) => { };
            prometheus.ErrorDataReceived += (_, _) => { };
            prometheus.BeginOutputReadLine();
            prometheus.BeginErrorReadLine();

            var numastat = OutputTree.Summary(dir["out"])["numastat"]!.AsObject();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var query = $"http://127.0.0.1:{prometheusPort}/api/v1/query?query=numasim_numa_hit_total";
            JsonArray? series = null;
            await Until(async () =>
            {
                series = await Query(http, query);
                return series?.Count == numastat.Count;
            }, "Prometheus to scrape numasim_numa_hit_total of every node");

            var byNode = series!.ToDictionary(s => s!["metric"]!["numa_node"]!.GetValue<string>(), s => long.Parse(s!["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture));
            foreach (var (key, value) in numastat)
            {
                Assert.Equal(value!["numa_hit"]!.GetValue<long>(), byNode[key["node".Length..]]);
            }
            Assert.True(byNode.Values.All(v => v > 0));

            var misses = await Query(http, query.Replace("numa_hit", "numa_miss", StringComparison.Ordinal));
            Assert.Equal(numastat.Sum(n => n.Value!["numa_miss"]!.GetValue<long>()), misses!.Sum(s => long.Parse(s!["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture)));
        }
        finally
        {
            Stop(prometheus);
            Stop(numasim);
        }
    }

    [Fact]
    public async Task Spans_reach_an_OTLP_collector_over_http_with_the_serving_side_as_a_child()
    {
        using var receiver = new OtlpReceiver();
        using var dir = new TempDirectory();
        dir.Write("s.conf", CrossNode);

        var run = await Task.Run(() => CliRunner.Run(dir.Path, "run", "s.conf", "--out", "out", "--quiet",
            "--otlp-endpoint", receiver.Endpoint, "--otlp-protocol", "http/protobuf", "--trace-sample", "1"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var spans = receiver.Spans;
        Assert.True(spans.Count > 0, $"no span arrived ({receiver.TraceRequests} trace requests)");
        Assert.All(spans, s => Assert.Equal("numasim", s.ServiceName));
        Assert.Single(spans.Select(s => s.InstanceId).Distinct());
        var allocs = spans.Where(s => s.Name == "numa.remote_alloc").ToDictionary(s => s.SpanId);
        var serves = spans.Where(s => s.Name == "numa.zone_serve").ToList();
        Assert.NotEmpty(serves);
        Assert.All(serves, serve =>
        {
            Assert.True(allocs.TryGetValue(serve.ParentSpanId, out var parent), $"zone_serve {serve.SpanId} has no remote_alloc parent");
            Assert.Equal(parent!.TraceId, serve.TraceId);
        });
    }

    [Fact]
    public async Task Spans_from_two_member_processes_of_one_run_share_a_trace_id()
    {
        using var receiver = new OtlpReceiver();
        using var dir = new TempDirectory();
        dir.Write("s.conf", CrossNode);

        // Round-robin: node 0 (its zone serves) in this process, node 1 (CPU 1 asks) in the member.
        var run = await Task.Run(() => CliRunner.Run(dir.Path, "run", "s.conf", "--out", "out", "--quiet", "--processes", "2",
            "--otlp-endpoint", receiver.Endpoint, "--otlp-protocol", "http/protobuf", "--trace-sample", "1"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var spans = receiver.Spans;
        var allocs = spans.Where(s => s.Name == "numa.remote_alloc").ToDictionary(s => s.SpanId);
        var serves = spans.Where(s => s.Name == "numa.zone_serve").ToList();
        Assert.NotEmpty(serves);
        Assert.Equal(2, spans.Select(s => s.InstanceId).Distinct().Count());
        Assert.All(serves, serve =>
        {
            Assert.True(allocs.TryGetValue(serve.ParentSpanId, out var parent), $"zone_serve {serve.SpanId} has no remote_alloc parent");
            Assert.Equal(parent!.TraceId, serve.TraceId);
            Assert.NotEqual(parent.InstanceId, serve.InstanceId);
        });
    }

    [Fact]
    public void The_standard_OTEL_variables_alone_turn_on_the_OTLP_export()
    {
        using var receiver = new OtlpReceiver();
        using var dir = new TempDirectory();
        dir.Write("s.conf", CrossNode);

        using var numasim = CliRunner.StartInBackground(dir.Path, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment=test",
        }, "run", "s.conf", "--out", "out", "--quiet", "--trace-sample", "1");
        Assert.True(numasim.WaitForExit(CliRunner.DefaultTimeout), "numasim did not finish");

        Assert.Equal(0, numasim.ExitCode);
        Assert.Contains(receiver.Spans, s => s.Name == "numa.zone_serve" && s.ServiceName == "numasim");
    }

    [Theory]
    [InlineData("--trace-sample", "1.5", "--trace-sample")]
    [InlineData("--prometheus-port", "70000", "--prometheus-port")]
    [InlineData("--otlp-endpoint", "not a url", "--otlp-endpoint")]
    [InlineData("--otlp-protocol", "thrift", "--otlp-protocol")]
    [InlineData("--linger", "-1", "--linger")]
    public void A_bad_telemetry_option_is_bad_input_naming_it(string option, string value, string named)
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run(dir.Path, "run", "--out", "out", "--quiet", option, value);

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.StderrLines);
        Assert.Contains(named, line, StringComparison.Ordinal);
    }

    private static async Task<JsonArray?> Query(HttpClient http, string url)
    {
        try
        {
            var body = JsonNode.Parse(await http.GetStringAsync(new Uri(url)));
            return body?["status"]?.GetValue<string>() == "success" ? body["data"]?["result"] as JsonArray : null;
        }
        catch (HttpRequestException)
        {
            return null; // not listening yet
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes (then fails, saying what it waited for).</summary>
    private static Task Until(Func<bool> condition, string what) => Until(() => Task.FromResult(condition()), what);

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < Deadline, $"timed out after {Deadline.TotalSeconds} s waiting for {what}");
            await Task.Delay(200);
        }
    }

    private static void Stop(Process? process)
    {
        if (process is null)
        {
            return;
        }
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // exited in the meantime
        }
        process.Dispose();
    }
}

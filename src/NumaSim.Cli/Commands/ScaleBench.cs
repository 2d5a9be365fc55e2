using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NumaSim.Actors.Coordination;
using NumaSim.Workloads.Config;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Cli.Commands;

/// <summary>
/// `numasim bench --only scale`: scale.conf (128 CPUs busy in every round) in fresh `numasim run` processes pinned
/// by `taskset -c` to 1, 2, 4, ... of this machine's cores, as a user's run on a machine of that size: operations
/// per second by core count and the speedup over one core. Each count runs three times, interleaved so that a
/// change in the machine's load falls on every count alike; the figure is the median.
/// </summary>
internal static class ScaleBench
{
    private const int Runs = 3;

    public static async Task MeasureAsync(SortedDictionary<string, double> figures, CancellationToken cancel)
    {
        var cores = Environment.ProcessorCount;
        if (!HasTaskset())
        {
            await Console.Error.WriteLineAsync("numasim bench: scale needs taskset (util-linux) to pin runs to cores; skipped").ConfigureAwait(false);
            return;
        }
        var counts = new List<int>();
        for (var n = 1; n <= cores; n *= 2)
        {
            counts.Add(n);
        }
        var rates = counts.ToDictionary(n => n, _ => new List<double>());
        var work = Path.Combine(Path.GetTempPath(), $"numasim-bench-scale-{Environment.ProcessId}");
        try
        {
            for (var i = 0; i < Runs; i++)
            {
                foreach (var n in counts)
                {
                    var (operations, rounds, rate) = await RunPinnedAsync(n, work, cancel).ConfigureAwait(false);
                    figures["scale_operations"] = operations;
                    figures["scale_rounds"] = rounds;
                    rates[n].Add(rate);
                }
            }
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, true);
            }
        }
        // The engine in this process on every core, warm (the median of runs 2-4).
        var engine = new List<double>();
        var engineCpu = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            var cpu = ProcessCpuSeconds();
            var run = await SimulationRunner.RunAsync(ScenarioLoader.Load(ShippedConfig.Scenario("scale")), null, cancel).ConfigureAwait(false);
            engine.Add(Math.Round(run.Summary.OperationsPerSecond));
            // How many components a round runs side by side: the most any number of cores can run at once.
            figures["scale_windows_per_round"] = Math.Round((double)run.Summary.Clock.Windows / run.Summary.Clock.Rounds, 2);
            engineCpu.Add(ProcessCpuSeconds() - cpu);
        }
        figures["scale_operations_per_second_warm"] = Median(engine.Skip(1).ToList());
        // Then the same workload in one thread over the model (the median of runs 3-5): what the clock's rounds and the
        // actors' messages add to it is the engine's cost per round. In CPU time as well as wall time: the engine
        // spreads a round over the cores, the loop is one thread, and CPU time is what the engine adds whatever the
        // number of cores (and whatever else the machine runs).
        var model = new List<double>();
        var modelCpu = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var machine = new ScenarioMachine(ScenarioLoader.Load(ShippedConfig.Scenario("scale")));
            var (clock, cpu) = (Stopwatch.StartNew(), ProcessCpuSeconds());
            machine.Run();
            model.Add(Math.Round(machine.Operations / clock.Elapsed.TotalSeconds));
            modelCpu.Add(ProcessCpuSeconds() - cpu);
        }
        figures["scale_model_only_operations_per_second"] = Median(model.Skip(2).ToList());
        figures["scale_engine_cpu_seconds"] = Math.Round(Median(engineCpu.Skip(1).ToList()), 3);
        figures["scale_model_only_cpu_seconds"] = Math.Round(Median(modelCpu.Skip(2).ToList()), 3);
        figures["scale_engine_cpu_microseconds_per_round"] =
            Math.Round((figures["scale_engine_cpu_seconds"] - figures["scale_model_only_cpu_seconds"]) / figures["scale_rounds"] * 1e6, 1);
        var one = Median(rates[1]);
        foreach (var n in counts)
        {
            var rate = Median(rates[n]);
            figures[$"scale_{n}_cores_operations_per_second"] = rate;
            figures[$"scale_{n}_cores_speedup"] = Math.Round(rate / one, 3);
        }
    }

    private static double ProcessCpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    private static double Median(List<double> values) => values.Order().ToList()[values.Count / 2];

    /// <summary>One cold `numasim run scale` on CPUs 0..n-1; its summary's operations and operations per second.</summary>
    private static async Task<(double Operations, double Rounds, double PerSecond)> RunPinnedAsync(int cores, string work, CancellationToken cancel)
    {
        var output = Path.Combine(work, $"cores-{cores}");
        var start = new ProcessStartInfo("taskset") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-c", cores == 1 ? "0" : $"0-{cores - 1}", .. Self(), "run", ShippedConfig.Scenario("scale"), "--quiet", "--out", output])
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start taskset");
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        await process.StandardOutput.ReadToEndAsync(cancel).ConfigureAwait(false);
        await process.WaitForExitAsync(cancel).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"numasim run scale on {cores} cores failed (exit {process.ExitCode}): {await stderr.ConfigureAwait(false)}");
        }
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "summary.json"), cancel).ConfigureAwait(false));
        var root = summary.RootElement;
        return (root.GetProperty("operations").GetDouble(), root.GetProperty("clock").GetProperty("rounds").GetDouble(),
            Math.Round(root.GetProperty("operations_per_second").GetDouble()));
    }

    /// <summary>This numasim: the apphost, or `dotnet numasim.dll` when run that way.</summary>
    private static string[] Self()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, typeof(ScaleBench).Assembly.Location] : [host];
    }

    private static bool HasTaskset()
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("taskset", "-V") { RedirectStandardOutput = true, RedirectStandardError = true });
            probe?.WaitForExit();
            return probe is { ExitCode: 0 };
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

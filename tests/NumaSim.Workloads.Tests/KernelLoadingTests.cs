using NumaSim.Model.Kernel;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using NumaSim.Workloads.Config;
using NumaSim.Workloads.Kernel;

namespace NumaSim.Workloads.Tests;

public sealed class KernelLoadingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("numasim-kernel-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "k.conf");
        File.WriteAllText(path, text);
        return path;
    }

    private ConfigException Rejects(string text) => Assert.Throws<ConfigException>(() => ScenarioLoader.Load(Write(text)));

    [Theory]
    [InlineData("kmalloc-storm")]
    [InlineData("slab-debug")]
    [InlineData("atomic-pressure")]
    [InlineData("fragmentation")]
    public void Shipped_kernel_scenarios_load(string name)
    {
        var scenario = ScenarioLoader.Load(Path.Combine(ShippedConfig.Directory, "scenarios", name + ".conf"));
        Assert.True(scenario.Kernel.Active);
    }

    [Fact]
    public void Caches_streams_and_script_are_read_with_their_flags_contexts_and_sizes()
    {
        var kernel = ScenarioLoader.Load(Write("""
            numasim {
              topology = "two-socket"
              slab {
                debug = "FZ,kmalloc-64"
                caches = [{ name = "foo", size = 200, align = 64, flags = "SLAB_HWCACHE_ALIGN|SLAB_PANIC", ctor = on }]
              }
              workload {
                kernel = [
                  { cpus = "0-3", operations = 10, think-time = 1us, context = softirq, node = 1,
                    mix = [{ weight = 2, op = kzalloc, size = "8-256", gfp = "GFP_ATOMIC", lifetime = 2us },
                           { op = kmem_cache_alloc, cache = "foo" }] }
                ]
                script = [
                  { at = 2us, cpu = 1, do = write, name = "a", offset = -8, length = 4, value = 0x41 }
                  { at = 1us, cpu = 1, do = kmalloc, name = "a", size = 4K }
                  { at = 3us, cpu = 1, do = context, context = hardirq }
                  { at = 4us, cpu = 1, do = kmem_cache_destroy, cache = "foo" }
                ]
              }
            }
            """)).Kernel;

        Assert.Equal("FZ,kmalloc-64", kernel.SlubDebug);
        Assert.Equal(new SlabCacheSpec("foo", 200, 64, SlabFlags.HwcacheAlign | SlabFlags.Panic, true), Assert.Single(kernel.Caches));
        var stream = Assert.Single(kernel.Streams);
        Assert.Equal(CpuContext.Softirq, stream.Context);
        Assert.Equal(1, stream.Node);
        Assert.Equal(new KernelAllocKind(2, KernelOp.Kzalloc, 8, 256, Gfp.Atomic, null, 2000), stream.Mix[0]);
        Assert.Equal(KernelOp.KmemCacheAlloc, stream.Mix[1].Op);
        Assert.Equal(Gfp.Kernel, stream.Mix[1].Gfp);
        Assert.Null(stream.Mix[1].MeanLifetimeNs);

        // The script runs in time order, whatever the file's order.
        Assert.Equal([KernelOp.Kmalloc, KernelOp.Write, KernelOp.Context, KernelOp.KmemCacheDestroy], kernel.Script.Select(s => s.Op));
        Assert.Equal(4096, kernel.Script[0].Size);
        Assert.Equal((-8, 4, (byte)0x41), (kernel.Script[1].Offset, kernel.Script[1].Length, kernel.Script[1].Value));
        Assert.Equal(CpuContext.Hardirq, kernel.Script[2].Context);
        Assert.Equal(kernel.Script.Count, kernel.ScriptOf(1).Count());
        Assert.Equal([KernelOp.KmemCacheDestroy], kernel.ScriptOf(0).Select(s => s.Step.Op)); // every CPU holds part of the cache
    }

    [Fact]
    public void A_scenario_without_kernel_work_needs_no_slab_front_ends() =>
        Assert.False(ScenarioLoader.Load(Path.Combine(ShippedConfig.Directory, "scenarios", "default.conf")).Kernel.Active);

    [Theory]
    [InlineData("slab.allocator = slab2", "numasim.slab.allocator", "expected slub, slab or slob")]
    [InlineData("slab.caches = [{ name = x, size = 8, flags = SLAB_BOGUS }]", "numasim.slab.caches[0].flags", "unknown slab flag \"SLAB_BOGUS\"")]
    [InlineData("slab.caches = [{ name = x, size = 8 }, { name = x, size = 16 }]", "numasim.slab.caches", "created twice")]
    [InlineData("workload.kernel = [{ cpus = \"0\", operations = 1, mix = [{ op = kmem_cache_alloc, cache = nope }] }]", "numasim.workload.kernel[0].mix[0].cache", "no cache \"nope\"")]
    [InlineData("workload.kernel = [{ cpus = \"0\", operations = 1, mix = [{ op = kfree }] }]", "numasim.workload.kernel[0].mix[0].op", "expected one of kmalloc")]
    [InlineData("workload.kernel = [{ cpus = \"0\", operations = 1, context = nmi, mix = [{ size = 8 }] }]", "numasim.workload.kernel[0].context", "expected process, softirq")]
    [InlineData("workload.kernel = [{ cpus = \"0\", operations = 1, mix = [{ size = \"64-8\" }] }]", "numasim.workload.kernel[0].mix[0].size", "a range such as 8-256")]
    [InlineData("workload.script = [{ at = 1us, do = kfree, name = ghost }]", "numasim.workload.script[0].name", "not allocated by an earlier step")]
    [InlineData("workload.script = [{ at = 1us, cpu = 0, do = kmalloc, name = a, size = 8 }, { at = 2us, cpu = 1, do = kfree, name = a }]", "numasim.workload.script[1].cpu", "belongs to CPU 0")]
    [InlineData("workload.script = [{ at = 1us, do = write, name = a, offset = 0, length = 1, value = 0x100 }]", "numasim.workload.script[0].value", "expected a byte")]
    public void Bad_kernel_settings_name_their_key(string setting, string key, string problem)
    {
        var error = Rejects($$"""
            numasim {
              topology = "two-socket"
              {{setting}}
            }
            """);
        Assert.Equal(key, error.KeyPath);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }
}

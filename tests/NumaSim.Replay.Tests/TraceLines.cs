using System.Globalization;

namespace NumaSim.Replay.Tests;

/// <summary>kmem event lines as a 6.x kernel's /sys/kernel/tracing/trace prints them, for hand-written traces.</summary>
internal static class TraceLines
{
    public const string Header = "# tracer: nop\n#\n#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n";

    /// <summary>Lines of <see cref="Header"/>.</summary>
    public const int HeaderLineCount = 3;

    public static string Trace(params string[] lines) => Header + string.Join('\n', lines) + "\n";

    public static string PageAlloc(int cpu, double seconds, ulong pfn, int order, string gfp = "GFP_KERNEL", int migratetype = 0, ulong page = 0xffffea0000000000) =>
        Line(cpu, seconds, $"mm_page_alloc: page={page:x16} pfn=0x{pfn:x} order={order} migratetype={migratetype} gfp_flags={gfp}");

    public static string PageFree(int cpu, double seconds, ulong pfn, int order) =>
        Line(cpu, seconds, $"mm_page_free: page=ffffea0000000000 pfn=0x{pfn:x} order={order}");

    public static string Kmalloc(int cpu, double seconds, ulong ptr, long req, long alloc, string gfp = "GFP_KERNEL", int node = -1) =>
        Line(cpu, seconds, $"kmalloc: call_site=load_elf_binary+0x1a2/0x1500 ptr={ptr:x16} bytes_req={req} bytes_alloc={alloc} gfp_flags={gfp} node={node} accounted=false");

    public static string KmemCacheAlloc(int cpu, double seconds, ulong ptr, string? name, long req, long alloc, string gfp = "GFP_KERNEL") =>
        Line(cpu, seconds, $"kmem_cache_alloc: call_site=vm_area_alloc+0x1e/0x80 ptr={ptr:x16}{(name is null ? "" : " name=" + name)} bytes_req={req} bytes_alloc={alloc} gfp_flags={gfp} node=-1 accounted=true");

    public static string Kfree(int cpu, double seconds, ulong ptr) =>
        Line(cpu, seconds, $"kfree: call_site=rcu_do_batch+0x1b8/0x4f0 ptr={ptr:x16}");

    public static string KmemCacheFree(int cpu, double seconds, ulong ptr, string name) =>
        Line(cpu, seconds, $"kmem_cache_free: call_site=rcu_do_batch+0x1b8/0x4f0 ptr={ptr:x16} name={name}");

    public static string SchedSwitch(int cpu, double seconds) =>
        Line(cpu, seconds, "sched_switch: prev_comm=bash prev_pid=1234 prev_prio=120 prev_state=S ==> next_comm=swapper/2 next_pid=0 next_prio=120");

    public static string Line(int cpu, double seconds, string eventAndFields) =>
        string.Create(CultureInfo.InvariantCulture, $"            bash-1234    [{cpu:D3}] d..1. {seconds:F6}: {eventAndFields}");
}

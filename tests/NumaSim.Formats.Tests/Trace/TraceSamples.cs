namespace NumaSim.Formats.Tests.Trace;

/// <summary>Lines as a 6.x kernel's /sys/kernel/tracing/trace prints them.</summary>
internal static class TraceSamples
{
    public const string Header = """
        # tracer: nop
        #
        # entries-in-buffer/entries-written: 6/6   #P:4
        #
        #                                _-----=> irqs-off/BH-disabled
        #                               / _----=> need-resched
        #                              | / _---=> hardirq/softirq
        #                              || / _--=> preempt-depth
        #                              ||| / _-=> migrate-disable
        #                              |||| /     delay
        #           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
        #              | |         |   |||||     |         |
        """;

    public const string Kmalloc =
        "            bash-1234    [002] d..1. 12345.678901: kmalloc: call_site=load_elf_binary+0x1a2/0x1500 ptr=00000000a1b2c3d4 bytes_req=126 bytes_alloc=128 gfp_flags=GFP_KERNEL node=-1 accounted=false";

    public const string KmemCacheAlloc =
        "            bash-1234    [002] ...1. 12345.678950: kmem_cache_alloc: call_site=vm_area_alloc+0x1e/0x80 ptr=000000005e6f7a8b name=vm_area_struct bytes_req=184 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=true";

    public const string PageAlloc =
        "            bash-1234    [002] ...1. 12345.679001: mm_page_alloc: page=00000000c0ffee11 pfn=0x10a2b3 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO";

    public const string Kfree =
        "          <idle>-0       [000] ..s1. 12345.680000: kfree: call_site=rcu_do_batch+0x1b8/0x4f0 ptr=00000000a1b2c3d4";

    public const string KmemCacheFree =
        "          <idle>-0       [000] ..s1. 12345.680010: kmem_cache_free: call_site=rcu_do_batch+0x1b8/0x4f0 ptr=000000005e6f7a8b name=vm_area_struct";

    public const string PageFree =
        "     kworker/1:2-77      [001] ...1. 12345.681000: mm_page_free: page=00000000c0ffee11 pfn=0x10a2b3 order=2";

    public const string SchedSwitch =
        "            bash-1234    [002] d..2. 12345.682000: sched_switch: prev_comm=bash prev_pid=1234 prev_prio=120 prev_state=S ==> next_comm=swapper/2 next_pid=0 next_prio=120";

    public static string Lines(params string[] lines) => string.Join('\n', lines) + "\n";
}

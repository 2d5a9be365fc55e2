using Akka.Actor;
using Akka.TestKit.Xunit2;
using NumaSim.Actors.Cpus;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Tests;

public sealed class ShootdownTests : TestKit
{
    private static readonly LatencyModel Latency = LatencyModel.Default;

    /// <summary>
    /// A task that ran on CPUs 1 (node 0) and 2 (node 1) before arriving on CPU 0, with its 16
    /// pages mapped; its first step is an access, its second an mprotect of all of them.
    /// </summary>
    private static SimTask TaskThatRanOn(params int[] cpus)
    {
        var stream = new TaskStream([0], 16, new AccessPattern(AccessPatternKind.Sequential, 0), 0, 1, 0, MemPolicy.Default, 0, 1, 0, 16);
        var task = new SimTask(7, stream, new SimRandom(1, 7)) { CpuIndex = 0 };
        var mm = new AddressSpace(7, PagingMode.X86_64_4Level, 1 << 20, 0);
        task.Mm = mm;
        task.BaseVpn = mm.Mmap(16, Protection.ReadWrite, MemPolicy.Default);
        var tables = new List<(long, int)> { ((1 << 20) + 1, 0), ((1 << 20) + 2, 0), ((1 << 20) + 3, 0) };
        for (var i = 0; i < 16; i++)
        {
            mm.Map(task.BaseVpn + i, new Pte((1 << 20) + 100 + i, 0, PteFlags.Present | PteFlags.Read | PteFlags.Write), i == 0 ? tables : []);
        }
        foreach (var cpu in cpus)
        {
            mm.RanOn(cpu);
        }
        return task;
    }

    [Fact]
    public void An_mprotect_shoots_down_exactly_the_cpus_that_ran_the_task_and_waits_for_the_farthest_ack()
    {
        var setup = new PageAllocatorSetup(TestMachines.TwoNodes());
        var scenario = new Scenario("shootdown", 1, setup.Topology, Latency, 0, 0, []);
        var cpu = Sys.ActorOf(CpuActor.Props(0, scenario, setup));
        var cpu1 = CreateTestProbe();
        var cpu2 = CreateTestProbe();
        var cpu3 = CreateTestProbe();
        cpu.Tell(new Wire(new Dictionary<int, IActorRef>
        {
            [ComponentIds.Cpu(1)] = cpu1.Ref,
            [ComponentIds.Cpu(2)] = cpu2.Ref,
            [ComponentIds.Cpu(3)] = cpu3.Ref,
        }));
        cpu.Tell(new EventBatch([new SimEnvelope(ComponentIds.Cpu(0), new SimEventKey(1_000, ComponentIds.Cpu(1), 0), new TaskMigration(TaskThatRanOn(1, 2)))]));

        cpu.Tell(new RunWindow(100_000, []));
        var done = ExpectMsg<ComponentDone>();
        Assert.True(done.Blocked, "the initiator waits for the acknowledgements");

        var toNear = cpu1.ExpectMsg<EventBatch>().Events.Single();
        var toFar = cpu2.ExpectMsg<EventBatch>().Events.Single();
        cpu3.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        var near = Assert.IsType<TlbShootdown>(toNear.Payload);
        Assert.Equal(16, near.VirtualPages.Length);
        var sentAt = toNear.Key.Time - Latency.Ipi(10);
        Assert.Equal(sentAt + Latency.Ipi(20), toFar.Key.Time);

        // The probes answer as CPUs would: the ack leaves when the IPI arrives and takes as long back.
        cpu.Tell(new EventBatch([new SimEnvelope(ComponentIds.Cpu(0), new SimEventKey(toNear.Key.Time + Latency.Ipi(10), ComponentIds.Cpu(1), 0), new TlbShootdownAck(1, 7, 0))]));
        cpu.Tell(new EventBatch([new SimEnvelope(ComponentIds.Cpu(0), new SimEventKey(toFar.Key.Time + Latency.Ipi(20), ComponentIds.Cpu(2), 0), new TlbShootdownAck(2, 7, 0))]));
        cpu.Tell(new RunWindow(200_000, []));
        Assert.False(ExpectMsg<ComponentDone>().Blocked);

        cpu.Tell(CollectState.Instance);
        var state = ExpectMsg<CpuState>();
        Assert.Equal(1, state.Mmu.Shootdowns);
        Assert.Equal(2, state.Mmu.Ipis);
        Assert.Equal(2 * Latency.Ipi(20), state.Latency.Stats()["shootdown"].Max);
    }

    [Fact]
    public void A_task_that_never_left_its_cpu_needs_no_ipi()
    {
        var setup = new PageAllocatorSetup(TestMachines.TwoNodes());
        var scenario = new Scenario("shootdown", 1, setup.Topology, Latency, 0, 0, []);
        var cpu = Sys.ActorOf(CpuActor.Props(0, scenario, setup));
        var cpu1 = CreateTestProbe();
        cpu.Tell(new Wire(new Dictionary<int, IActorRef> { [ComponentIds.Cpu(1)] = cpu1.Ref }));
        cpu.Tell(new EventBatch([new SimEnvelope(ComponentIds.Cpu(0), new SimEventKey(1_000, ComponentIds.Cpu(1), 0), new TaskMigration(TaskThatRanOn()))]));
        cpu.Tell(new RunWindow(100_000, []));
        Assert.False(ExpectMsg<ComponentDone>().Blocked);
        cpu1.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        cpu.Tell(CollectState.Instance);
        Assert.Equal(0, ExpectMsg<CpuState>().Mmu.Ipis);
    }
}

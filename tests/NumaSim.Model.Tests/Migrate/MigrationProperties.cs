using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sched;
using NumaSim.Model.Stats;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Migrate;

/// <summary>One phase of a task under NUMA balancing: on a CPU, touch or read pages of its range for a while.</summary>
public sealed record BalancingPhase(int Cpu, int First, int Pages, int DurationMs, bool Write)
{
    public override string ToString() => $"cpu {Cpu} {(Write ? "writes" : "reads")} [{First}, {First + Pages}) for {DurationMs} ms";
}

/// <summary>
/// Whatever a task does under NUMA balancing as it moves between the nodes, migration keeps every count whole: a
/// migrated page is a page allocated on its target and freed on its source, so each zone's free, per-CPU and used
/// pages add up to what it manages, each node's anonymous pages are the entries that map pages there, and
/// pgmigrate_success is numa_pages_migrated.
/// </summary>
public sealed class MigrationProperties
{
    private const int Range = 600;
    private const long ThinkNs = 1_000_000;

    private static Gen<BalancingPhase> Phase =>
        from cpu in Gen.Elements(0, 1, 2, 3)
        from first in Gen.Choose(0, Range - 1)
        from pages in Gen.Choose(1, Range)
        from ms in Gen.Choose(100, 3000)
        from write in Gen.Elements(true, false)
        select new BalancingPhase(cpu, first, Math.Min(pages, Range - first), ms, write);

    [Property(MaxTest = 25)]
    public Property Migration_conserves_pages_and_counters() =>
        Prop.ForAll(Phase.ListOf().Select(l => l.Take(6).ToArray()).ToArbitrary(), phases =>
        {
            var machine = new FaultMachine(Machines.TwoNodeNormal(2048), LatencyModel.Default, TlbConfig.Default);
            machine.EnableNumaBalancing(NumaBalancingSysctls.Default with { ScanSizeMb = 1 });
            var task = new MmTask(1, MemPolicy.Default);
            machine.CreateMm(0, task);
            var vpn = machine.Mmap(0, task, Range * 4096L, MemPolicy.Default);
            var clock = 0L;
            var last = 0;
            foreach (var phase in phases)
            {
                task.Mm!.RanOn(phase.Cpu);
                machine.AdvanceTo(phase.Cpu, clock);
                machine.Cpu(phase.Cpu).NumaTaskMoved(task, machine.Pages.Setup.Topology.NodeOfCpu(last));
                last = phase.Cpu;
                var end = machine.Now(phase.Cpu) + (phase.DurationMs * 1_000_000L);
                for (var i = 0; machine.Now(phase.Cpu) < end; i++)
                {
                    machine.AdvanceTo(phase.Cpu, machine.Now(phase.Cpu) + ThinkNs);
                    machine.NumaTick(phase.Cpu, task);
                    machine.Access(phase.Cpu, task, vpn + phase.First + (i % phase.Pages), phase.Write);
                }
                clock = machine.Now(phase.Cpu);
            }
            AssertPagesConserved(machine);
            AssertEntriesMatchAnon(machine, task, vpn);
            Assert.Equal(NumaBalancingTests.Event(machine, VmEventItem.NumaPagesMigrated), NumaBalancingTests.Event(machine, VmEventItem.PgmigrateSuccess));
            Assert.True(NumaBalancingTests.Event(machine, VmEventItem.NumaHintFaults) <= NumaBalancingTests.Event(machine, VmEventItem.NumaPteUpdates));
        });

    /// <summary>Every zone: its buddy pages, the pages on CPUs' lists and the pages the task's tables and data use add up to what it manages.</summary>
    internal static void AssertPagesConserved(FaultMachine machine)
    {
        var topology = machine.Pages.Setup.Topology;
        foreach (var zone in machine.Pages.Zones)
        {
            var index = zone.Setup.Index;
            var onPcp = topology.AllCpus.Sum(cpu => (long)machine.Pages.Cpu(cpu).Pcp(index).Count);
            var node = ZoneIndex.Node(index);
            var used = topology.AllCpus.Sum(cpu =>
                machine.Cpu(cpu).NodeStats.Snapshot()[node][NodeStatItem.NrAnonPages] + machine.Cpu(cpu).NodeStats.Snapshot()[node][NodeStatItem.NrPageTablePages]);
            Assert.Equal(zone.Setup.Spec.Managed, zone.Buddy.FreePages + onPcp + used);
        }
    }

    /// <summary>Each node's anonymous pages are the entries that map a page on it, and each entry's node is its pfn's.</summary>
    private static void AssertEntriesMatchAnon(FaultMachine machine, MmTask task, long vpn)
    {
        var topology = machine.Pages.Setup.Topology;
        var byNode = new long[topology.Nodes.Count];
        var walked = new List<int>();
        for (var i = 0; i < Range; i++)
        {
            if (task.Mm!.PageTable.Walk(vpn + i, walked) is { } pte && !pte.ZeroPage)
            {
                var zone = topology.Nodes[pte.Node].Zones.Single(z => pte.Pfn >= z.StartPfn && pte.Pfn < z.EndPfn);
                Assert.NotNull(zone);
                byNode[pte.Node]++;
            }
        }
        for (var node = 0; node < byNode.Length; node++)
        {
            Assert.Equal(byNode[node], NumaBalancingTests.Anon(machine, node));
        }
    }
}

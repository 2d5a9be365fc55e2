using System.Globalization;

namespace NumaSim.Oracle.Qemu;

/// <summary>
/// qemu-system-x86_64's arguments for a guest machine: TCG (KVM fails in the kernel's decompressor when nested),
/// one memory backend and -numa node per node, the SLIT as -numa dist, HMAT latencies and bandwidths when the
/// machine gives them, the serial console into a file, no display, no reboot.
/// </summary>
public static class QemuCommand
{
    public const string Binary = "qemu-system-x86_64";

    /// <summary>The kernel command line: THP only where madvised (as the guest program asks), a panic powers off.</summary>
    public const string KernelCommandLine = "console=ttyS0 quiet loglevel=3 transparent_hugepage=madvise panic=-1";

    /// <param name="disk">The file disk for read-file steps (the guest's /dev/vda), or null.</param>
    /// <param name="swap">The swap disk, a raw image mkswap made (attached after the file disk), or null.</param>
    public static IReadOnlyList<string> Arguments(GuestMachine machine, string kernel, string initrd, string console, string? disk, string? swap = null)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var inv = CultureInfo.InvariantCulture;
        var args = new List<string>
        {
            "-machine", machine.Hmat ? "q35,accel=tcg,hmat=on" : "q35,accel=tcg",
            "-cpu", "max",
            "-smp", machine.CpuCount.ToString(inv),
            "-m", $"{machine.MemoryMiB}M",
            "-display", "none", "-monitor", "none", "-no-reboot",
            "-serial", $"file:{console}",
            "-kernel", kernel, "-initrd", initrd, "-append", KernelCommandLine,
        };
        foreach (var node in machine.Nodes)
        {
            // A node without memory (CPUs only) gets no backend: QEMU then describes a memoryless node.
            var spec = string.Create(inv, $"node,nodeid={node.Id}");
            if (node.MemoryMiB > 0)
            {
                args.Add("-object");
                args.Add(string.Create(inv, $"memory-backend-ram,id=m{node.Id},size={node.MemoryMiB}M"));
                spec += string.Create(inv, $",memdev=m{node.Id}");
            }
            foreach (var (first, last) in Ranges(node.Cpus))
            {
                spec += string.Create(inv, $",cpus={first}-{last}");
            }
            if (machine.Hmat)
            {
                spec += string.Create(inv, $",initiator={machine.InitiatorOf(node)}");
            }
            args.Add("-numa");
            args.Add(spec);
        }
        foreach (var from in machine.Nodes)
        {
            foreach (var to in machine.Nodes.Where(t => t.Id != from.Id))
            {
                args.Add("-numa");
                args.Add(string.Create(inv, $"dist,src={from.Id},dst={to.Id},val={machine.Distance[from.Id][to.Id]}"));
            }
        }
        if (machine.Hmat)
        {
            AddHmat(machine, args);
        }
        foreach (var image in new[] { disk, swap }.OfType<string>())
        {
            args.Add("-drive");
            args.Add($"file={image},format=raw,if=virtio");
        }
        return args;
    }

    /// <summary>
    /// An entry per initiator and target. A node's access attributes are what its nearest initiator sees
    /// (sysfs access0); a farther initiator sees the latency scaled up and the bandwidth down by the distance ratio.
    /// </summary>
    private static void AddHmat(GuestMachine machine, List<string> args)
    {
        var inv = CultureInfo.InvariantCulture;
        var pairs = (from initiator in machine.Nodes.Where(n => n.Cpus.Count > 0)
                     from target in machine.Nodes
                     let scale = (double)machine.Distance[initiator.Id][target.Id] / machine.Distance[machine.InitiatorOf(target)][target.Id]
                     select (Initiator: initiator.Id, Target: target.Id,
                         Latency: (long)Math.Round(target.Access!.ReadLatencyNs * scale),
                         Bandwidth: (long)Math.Round(target.Access!.ReadBandwidthMBps / scale))).ToList();
        var latencies = Representable(pairs.Select(p => p.Latency).ToList());
        var bandwidths = Representable(pairs.Select(p => p.Bandwidth).ToList());
        for (var i = 0; i < pairs.Count; i++)
        {
            var (initiator, target, _, _) = pairs[i];
            args.Add("-numa");
            args.Add(string.Create(inv, $"hmat-lb,initiator={initiator},target={target},hierarchy=memory,data-type=access-latency,latency={latencies[i]}"));
            args.Add("-numa");
            args.Add(string.Create(inv, $"hmat-lb,initiator={initiator},target={target},hierarchy=memory,data-type=access-bandwidth,bandwidth={bandwidths[i]}M"));
        }
    }

    /// <summary>
    /// HMAT stores each table as 16-bit entries times one base unit, and QEMU takes the base from the lowest set bit
    /// over all values: the values are rounded to multiples of the smallest power of two that keeps the largest entry
    /// under 65535 (the kernel then reports the rounded figures, which the import reads back).
    /// </summary>
    internal static IReadOnlyList<long> Representable(IReadOnlyList<long> values)
    {
        var max = values.DefaultIfEmpty(1).Max();
        var step = 1L;
        while (max / step >= ushort.MaxValue)
        {
            step *= 2;
        }
        return [.. values.Select(v => Math.Max(step, (long)Math.Round((double)v / step) * step))];
    }

    /// <summary>Consecutive runs of CPU ids (QEMU takes cpus=A-B once per run).</summary>
    private static IEnumerable<(int First, int Last)> Ranges(IReadOnlyList<int> cpus)
    {
        var sorted = cpus.Order().ToList();
        var i = 0;
        while (i < sorted.Count)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }
            yield return (sorted[i], sorted[j]);
            i = j + 1;
        }
    }
}

using NumaSim.Model.Topology;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Workloads.Config;

/// <summary>`numasim.workload.faults`: exhaust-zone and offline-node at given simulated times.</summary>
internal static class FaultLoader
{
    public static List<ZoneFault> Load(ConfigNode faults, MachineTopology topology)
    {
        var loaded = new List<ZoneFault>();
        if (!faults.Exists)
        {
            return loaded;
        }
        foreach (var f in faults.Elements())
        {
            f.OnlyKeys("at", "do", "node", "zone");
            var what = f.Child("do").String();
            var node = f.Child("node").Int(0, topology.Nodes.Count - 1);
            switch (what)
            {
                case "exhaust-zone":
                    var name = f.Child("zone").String();
                    if (!Enum.TryParse<ZoneType>(name, ignoreCase: true, out var zone) || !Enum.IsDefined(zone))
                    {
                        throw f.Child("zone").Error($"\"{name}\" is not a zone: DMA, DMA32, Normal or Movable");
                    }
                    if (!topology.Nodes[node].Zones.Any(z => z.Type == zone && z.Managed > 0))
                    {
                        throw f.Child("zone").Error($"node {node} has no populated {name} zone");
                    }
                    loaded.Add(new ZoneFault(f.Child("at").Nanoseconds(), node, zone));
                    break;
                case "offline-node":
                    if (f.Child("zone").Exists)
                    {
                        throw f.Child("zone").Error("offline-node takes the whole node; use exhaust-zone for one zone");
                    }
                    loaded.Add(new ZoneFault(f.Child("at").Nanoseconds(), node, null));
                    break;
                default:
                    throw f.Child("do").Error($"\"{what}\" is not a fault: exhaust-zone or offline-node");
            }
        }
        return loaded;
    }
}

using NumaSim.Workloads.Kernel;

namespace NumaSim.Actors.Slabs;

/// <summary>vmalloc and vfree.</summary>
public sealed partial class SlabActor
{
    private Outcome ExecuteVmalloc(KernelCall call) =>
        throw new NotSupportedException($"{call.Op} is not wired yet");
}

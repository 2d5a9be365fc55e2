using NumaSim.Model.Kernel;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Workloads.Kernel;

/// <summary>
/// One step of the kernel script: at a simulated time, a CPU calls one API on a named object
/// (allocations name what they return; frees and writes use the name). A write puts
/// <see cref="Length"/> bytes of <see cref="Value"/> at <see cref="Offset"/> from the object's
/// start, past its end too: that is how a script overruns a red zone or writes after a free.
/// </summary>
public sealed record ScriptStep(long AtNs, int Cpu, KernelOp Op)
{
    public string? Object { get; init; }

    public long Size { get; init; }

    public Gfp Gfp { get; init; } = Gfp.Kernel;

    public string? Cache { get; init; }

    public int Node { get; init; } = -1;

    public int Offset { get; init; }

    public int Length { get; init; }

    public byte Value { get; init; }

    public CpuContext Context { get; init; }
}

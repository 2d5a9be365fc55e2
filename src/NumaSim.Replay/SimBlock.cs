using NumaSim.Model.PageAlloc;

namespace NumaSim.Replay;

/// <summary>The simulated block that stands for a traced one: its zone, pfn, order and free list.</summary>
internal readonly record struct SimBlock(long Pfn, int Zone, int Order, MigrateType Type);

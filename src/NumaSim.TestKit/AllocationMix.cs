namespace NumaSim.TestKit;

/// <summary>One weighted kind of page allocation of a stream: order, gfp flags ("GFP_KERNEL|__GFP_THISNODE") and
/// mean lifetime ("5us"; null: forever).</summary>
public sealed record AllocationMix(int Weight, int Order, string Gfp, string? Lifetime)
{
    internal string ToHocon() => Hocon.Object(("weight", Weight), ("order", Order), ("gfp", Gfp), ("lifetime", Lifetime ?? "forever"));
}

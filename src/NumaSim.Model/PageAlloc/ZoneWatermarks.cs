namespace NumaSim.Model.PageAlloc;

/// <summary>A zone's watermarks in pages (_watermark[] plus watermark_boost).</summary>
public sealed record ZoneWatermarks(long Min, long Low, long High, long Promo, long Boost = 0)
{
    public long Get(WatermarkKind kind) => kind switch
    {
        WatermarkKind.Min => Min + Boost,
        WatermarkKind.Low => Low + Boost,
        WatermarkKind.High => High + Boost,
        _ => Promo + Boost,
    };
}

public enum WatermarkKind
{
    Min,
    Low,
    High,
    Promo,
}

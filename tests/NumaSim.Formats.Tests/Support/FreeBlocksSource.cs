namespace NumaSim.Formats.Tests.Support;

/// <summary>
/// The reference buddyinfo and pagetypeinfo were read a moment apart and disagree on the Normal
/// zone, so a test picks which one the snapshot's free lists reproduce.
/// </summary>
internal enum FreeBlocksSource
{
    /// <summary>Per-migratetype counts from pagetypeinfo.</summary>
    Pagetypeinfo,

    /// <summary>Per-order totals from buddyinfo, all on the Movable list.</summary>
    Buddyinfo,
}

namespace NumaSim.Model.Topology;

/// <summary>
/// One populated zone: its PFN span and how much of it is real (present) and handed to the
/// buddy allocator (managed). Holes are spanned - present; reserved pages are present - managed.
/// </summary>
public sealed record ZoneSpec(ZoneType Type, long StartPfn, long Spanned, long Present, long Managed)
{
    public long EndPfn => StartPfn + Spanned;
}

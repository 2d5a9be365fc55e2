namespace NumaSim.Model.Vmalloc;

public enum VmallocStepKind
{
    /// <summary>alloc_pages_node(node, gfp, 0): the caller answers with the page or a refusal.</summary>
    NeedPage,

    /// <summary>The area is mapped.</summary>
    Done,

    /// <summary>No area, or not all its pages: what was gathered goes back.</summary>
    Failed,
}

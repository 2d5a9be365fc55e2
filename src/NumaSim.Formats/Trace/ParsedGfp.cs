using NumaSim.Model.PageAlloc;

namespace NumaSim.Formats.Trace;

/// <summary>A gfp_flags field: the printed text, the bits the model knows, the parts it does not.</summary>
internal readonly record struct ParsedGfp(string Text, Gfp Gfp, string? Unknown);

namespace NumaSim.Model.Slab;

/// <summary>
/// One SLUB error report: the kernel's text as dmesg shows it (the "=====" rule, "BUG cache (taint): reason", the
/// "-----" rule, a blank line, the detail and FIX lines). print_trailer's hex dumps, print_slab_info and the stack
/// dump are left out. <see cref="Silent"/> marks an error the kernel would not have noticed (no
/// SLAB_CONSISTENCY_CHECKS): the model still refused the operation, so <see cref="Lines"/> is empty.
/// </summary>
public sealed record SlabDebugReport(
    SlabDebugKind Kind,
    string Cache,
    ObjectAddress Address,
    IReadOnlyList<string> Lines,
    bool Silent = false)
{
    public const string Rule = "=============================================================================";
    public const string Dashes = "-----------------------------------------------------------------------------";

    public string Text => string.Join('\n', Lines);

    public override string ToString() => Silent ? $"{Kind} {Cache} {Address} (not reported by the kernel)" : Text;
}

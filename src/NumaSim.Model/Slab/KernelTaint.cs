using System.Text;

namespace NumaSim.Model.Slab;

/// <summary>
/// The kernel's tainted_mask and print_tainted() (kernel/panic.c): "Not tainted", else "Tainted: " and one character
/// per flag (c_true when set, else c_false: 'G' for the proprietary-module bit, a space for the others). Shared by
/// the caches of one simulated kernel so that the second report says "Tainted: G    B".
/// </summary>
public sealed class KernelTaint
{
    /// <summary>TAINT_FLAGS_COUNT in 6.15 and later (TAINT_FWCTL is bit 19).</summary>
    public const int FlagsCount = 20;

    private const string SetChars = "PFSRMBUDAWCIOELKXTNJ";

    private uint _mask;

    public bool IsTainted => _mask != 0;

    public void Add(TaintFlag flag) => _mask |= 1u << (int)flag;

    public bool IsSet(TaintFlag flag) => (_mask & (1u << (int)flag)) != 0;

    public override string ToString()
    {
        if (_mask == 0)
        {
            return "Not tainted";
        }
        var text = new StringBuilder("Tainted: ", 9 + FlagsCount);
        for (var i = 0; i < FlagsCount; i++)
        {
            var set = (_mask & (1u << i)) != 0;
            text.Append(set ? SetChars[i] : i == 0 ? 'G' : ' ');
        }
        return text.ToString();
    }
}

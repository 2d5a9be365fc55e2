namespace NumaSim.Model.Mmu;

/// <summary>PROT_* of a mapping.</summary>
[Flags]
public enum Protection : byte
{
    None = 0,
    Read = 1,
    Write = 2,
    Exec = 4,
    ReadWrite = Read | Write,
}

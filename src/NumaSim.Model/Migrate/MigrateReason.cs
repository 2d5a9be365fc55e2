namespace NumaSim.Model.Migrate;

/// <summary>Why a folio moves (enum migrate_reason, MR_*): what the migration counts besides pgmigrate_*.</summary>
public enum MigrateReason
{
    Compaction,
    MemoryFailure,
    MemoryHotplug,
    Syscall,
    MempolicyMbind,
    NumaMisplaced,
    Contig,
    LongtermPin,
    Demotion,
}

namespace NumaSim.Workloads.Scenarios;

/// <summary>A working-set task's periodic steps (<see cref="TaskStream"/>'s munmap-every, mprotect-every, migrate-every).</summary>
public enum PeriodicStep
{
    Munmap,
    Mprotect,
    Migrate,
}

namespace NumaSim.Model.Lru;

/// <summary>LRU_GEN_ANON / LRU_GEN_FILE: the two kinds of evictable folio.</summary>
public enum LruType
{
    Anon = 0,
    File = 1,
}

/// <summary>enum lru_list, in the kernel's order: what meminfo's Active/Inactive lines and nr_*_anon/file count.</summary>
public enum LruList
{
    InactiveAnon = 0,
    ActiveAnon = 1,
    InactiveFile = 2,
    ActiveFile = 3,
    Unevictable = 4,
}

public static class LruLists
{
    public const int Count = 5;

    public static LruList Of(LruType type, bool active) => (LruList)((int)type * 2 + (active ? 1 : 0));
}

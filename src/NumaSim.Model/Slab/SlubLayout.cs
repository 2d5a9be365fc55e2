using System.Numerics;

namespace NumaSim.Model.Slab;

/// <summary>SLUB's slab sizing (mm/slub.c calculate_order / calc_slab_order).</summary>
public static class SlubLayout
{
    private const int SlubMaxOrder = 3;
    private const int MaxObjsPerPage = 32767;

    /// <summary>The slab order for objects of this size on a machine with this many CPUs.</summary>
    public static int Order(int size, int pageSize, int presentCpus)
    {
        var minObjects = 4 * (Fls(presentCpus) + 1);
        var maxObjects = Math.Max(ObjectsPerSlab(SlubMaxOrder, size, pageSize), 1);
        minObjects = Math.Min(minObjects, maxObjects);
        var minOrder = GetOrder((long)minObjects * size, pageSize);
        if (ObjectsPerSlab(minOrder, size, pageSize) > MaxObjsPerPage)
        {
            return GetOrder((long)size * MaxObjsPerPage, pageSize) - 1;
        }
        for (var fraction = 16; fraction > 1; fraction /= 2)
        {
            var order = CalcSlabOrder(size, minOrder, SlubMaxOrder, fraction, pageSize);
            if (order <= SlubMaxOrder)
            {
                return order;
            }
        }
        return GetOrder(size, pageSize);
    }

    public static int ObjectsPerSlab(int order, int size, int pageSize) => (int)(((long)pageSize << order) / size);

    private static int CalcSlabOrder(int size, int minOrder, int maxOrder, int fraction, int pageSize)
    {
        int order;
        for (order = minOrder; order <= maxOrder; order++)
        {
            var slabSize = (long)pageSize << order;
            if (slabSize % size <= slabSize / fraction)
            {
                break;
            }
        }
        return order;
    }

    /// <summary>get_order: the smallest order whose block holds size bytes.</summary>
    /// <summary>get_order: fls64(size - 1) - PAGE_SHIFT, so every size up to long.MaxValue has an order (51 for
    /// 2^63 - 1 with 4 KiB pages) and none wraps to a small one.</summary>
    public static int GetOrder(long size, int pageSize)
    {
        var pages = (size / pageSize) + (size % pageSize != 0 ? 1 : 0);
        return pages <= 1 ? 0 : 64 - BitOperations.LeadingZeroCount((ulong)(pages - 1));
    }

    private static int Fls(int x) => x == 0 ? 0 : 32 - BitOperations.LeadingZeroCount((uint)x);
}

namespace NumaSim.Model.Migrate;

/// <summary>
/// Which node's pages go where, and in what order, for migrate_pages(2) (do_migrate_pages in mm/mempolicy.c): each
/// node of <c>from</c> maps to a node of <c>to</c> by node_remap (the n-th node of one set to the n-th, modulo its
/// weight, of the other); a node that maps to itself stays, and when the two sets differ in size a source that is
/// also a destination stays too. A source whose destination is still to be emptied waits, so that pages are not
/// moved twice; the kernel migrates one source node at a time (migrate_to_node) in this order.
/// </summary>
public static class MigratePagesPlan
{
    public static IReadOnlyList<(int Source, int Dest)> Pairs(IReadOnlyCollection<int> from, IReadOnlyCollection<int> to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var old = from.Distinct().Order().ToList();
        var target = to.Distinct().Order().ToList();
        var pairs = new List<(int, int)>();
        if (old.SequenceEqual(target) || target.Count == 0)
        {
            return pairs;
        }
        var left = new SortedSet<int>(old);
        while (left.Count > 0)
        {
            var source = -1;
            var dest = 0;
            foreach (var s in left)
            {
                if (old.Count != target.Count && target.Contains(s))
                {
                    continue;
                }
                var d = NodeRemap(s, old, target);
                if (s == d)
                {
                    continue;
                }
                (source, dest) = (s, d);
                if (!left.Contains(dest))
                {
                    break;
                }
            }
            if (source < 0)
            {
                break;
            }
            left.Remove(source);
            pairs.Add((source, dest));
        }
        return pairs;
    }

    /// <summary>node_remap: the n-th node of <paramref name="old"/> becomes the (n mod |new|)-th of <paramref name="target"/>.</summary>
    private static int NodeRemap(int node, List<int> old, List<int> target)
    {
        var n = old.IndexOf(node);
        return n < 0 ? node : target[n % target.Count];
    }
}

using NumaSim.Model.Lru;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Filemap;

/// <summary>
/// Reads files through the page cache in one thread, over a <see cref="PageAllocatorMachine"/>, with one lruvec
/// per node: what the actors do with messages, done with calls, for tests and benchmarks.
/// </summary>
public sealed class PageCacheMachine
{
    /// <summary>What a read-file step reads per read(2): the 64 KiB buffer of the project's guest program.</summary>
    public const int ReadChunkBytes = 64 << 10;

    private readonly Lruvec[] _lruvecs;

    public PageCacheMachine(PageAllocatorMachine pages)
    {
        Pages = pages;
        _lruvecs = [.. pages.Setup.Topology.Nodes.Select(n => new Lruvec(n.Id))];
    }

    public PageAllocatorMachine Pages { get; }

    public Lruvec Lruvec(int node) => _lruvecs[node];

    /// <summary>
    /// open, read the first <paramref name="bytes"/> of the file in 64 KiB reads on <paramref name="cpu"/>, close.
    /// Returns the pages it cached and whether every page could be had.
    /// </summary>
    public (long Allocated, bool Complete) ReadFile(int cpu, FileMapping mapping, long bytes, MemPolicy policy)
    {
        var ra = new FileRaState();
        var allocated = 0L;
        for (var pos = 0L; pos < Math.Min(bytes, mapping.SizePages << 12); pos += ReadChunkBytes)
        {
            var read = new FilemapRead(mapping, ra, pos, Math.Min(ReadChunkBytes, bytes - pos), policy);
            var step = read.Begin();
            while (step.Kind == ReadStepKind.Allocate)
            {
                var (pfn, zone) = Pages.Allocate(cpu, step.Request!);
                if (pfn >= 0)
                {
                    _lruvecs[ZoneIndex.Node(zone)].Add(pfn, (int)ZoneIndex.Type(zone), LruType.File, 0, LruAdd.Cold);
                }
                step = read.Resume(pfn);
            }
            foreach (var pfn in read.Accessed)
            {
                LruvecOf(pfn).MarkAccessed(pfn);
            }
            allocated += read.PagesAllocated;
            if (read.Failed)
            {
                return (allocated, false);
            }
        }
        return (allocated, true);
    }

    private Lruvec LruvecOf(long pfn)
    {
        foreach (var lru in _lruvecs)
        {
            if (lru.Contains(pfn))
            {
                return lru;
            }
        }
        throw new InvalidOperationException($"pfn {pfn} is on no LRU");
    }
}

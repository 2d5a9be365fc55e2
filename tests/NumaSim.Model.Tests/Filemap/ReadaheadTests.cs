using NumaSim.Model.Filemap;
using Xunit;

namespace NumaSim.Model.Tests.Filemap;

/// <summary>mm/readahead.c's window sizes with read_ahead_kb = 128 (32 pages).</summary>
public sealed class ReadaheadTests
{
    [Theory]
    [InlineData(1, 4)]    // a one-page read: 1 rounded up, <= 32/32, times 4
    [InlineData(2, 4)]    // 2 > 1: <= 32/4, times 2
    [InlineData(8, 16)]
    [InlineData(9, 32)]   // 16 > 8: the maximum
    [InlineData(100, 32)]
    public void The_first_window_of_a_sequential_read_is_get_init_ra_size(long request, int window) =>
        Assert.Equal(window, FileRaState.InitSize(request, 32));

    [Theory]
    [InlineData(1, 4)]
    [InlineData(4, 8)]
    [InlineData(16, 32)]
    [InlineData(17, 32)]
    public void Each_next_window_is_get_next_ra_size(int current, int next) =>
        Assert.Equal(next, FileRaState.NextSize(current, 32));

    [Fact]
    public void A_sequential_read_from_page_0_ramps_the_window_up_to_ra_pages_with_the_marker_inside_it()
    {
        var ra = new FileRaState();

        // read(fd, buf, 4096) at offset 0: init 4 pages, all async (size > request: async = 3), no ramp.
        var first = ra.SyncReadahead(0, 1);
        Assert.Equal(new ReadaheadWindow(0, 4, 1), first);

        // The reader reaches the marker at page 1: the next window follows the first, twice its size (4 is not
        // below 32/16), all of it async, and so on up to the maximum.
        Assert.Equal(new ReadaheadWindow(4, 8, 4), ra.AsyncReadahead());
        Assert.Equal(new ReadaheadWindow(12, 16, 12), ra.AsyncReadahead());
        Assert.Equal(new ReadaheadWindow(28, 32, 28), ra.AsyncReadahead());
        Assert.Equal(new ReadaheadWindow(60, 32, 60), ra.AsyncReadahead());
    }

    [Fact]
    public void A_large_read_starts_with_the_maximum_and_reads_half_of_the_next_window_ahead()
    {
        var ra = new FileRaState();

        // A 64-page read at 0: init is the maximum, 32, not more than asked, so half of it is read ahead.
        var window = ra.SyncReadahead(0, 64);

        Assert.Equal(new ReadaheadWindow(0, 32, 16), window);
    }

    [Fact]
    public void A_random_read_reads_what_it_asked_and_leaves_the_window()
    {
        var ra = new FileRaState();
        ra.SyncReadahead(0, 1);
        ra.PrevPos = 4096;

        var random = ra.SyncReadahead(1000, 2);

        Assert.Equal(new ReadaheadWindow(1000, 2, -1), random);
        Assert.Equal(0, ra.Start);
        Assert.Equal(4, ra.Size);
    }
}

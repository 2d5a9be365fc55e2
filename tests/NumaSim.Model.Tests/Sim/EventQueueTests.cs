using Xunit;
using NumaSim.Model.Sim;

namespace NumaSim.Model.Tests.Sim;

public sealed class EventQueueTests
{
    [Fact]
    public void Events_come_out_in_time_source_sequence_order_and_only_before_the_horizon()
    {
        var queue = new EventQueue<string>();
        queue.Enqueue(new SimEventKey(20, 1, 0), "b");
        queue.Enqueue(new SimEventKey(10, 2, 5), "a2");
        queue.Enqueue(new SimEventKey(10, 1, 9), "a1");
        queue.Enqueue(new SimEventKey(10, 1, 3), "a0");

        Assert.Equal(10, queue.NextTime);
        var order = new List<string>();
        while (queue.TryDequeueBefore(20, out _, out var item))
        {
            order.Add(item);
        }
        Assert.Equal(["a0", "a1", "a2"], order);
        Assert.Equal(1, queue.Count);
        Assert.Equal(20, queue.NextTime);
        Assert.True(queue.TryDequeueBefore(21, out var key, out var last));
        Assert.Equal(("b", new SimEventKey(20, 1, 0)), (last, key));
        Assert.Equal(long.MaxValue, queue.NextTime);
    }

    [Fact]
    public void Interleaved_enqueues_and_dequeues_come_out_as_the_framework_priority_queue_gives_them_even_with_equal_keys()
    {
        var random = new Random(7);
        var queue = new EventQueue<int>();
        var reference = new PriorityQueue<int, SimEventKey>();
        var id = 0;
        for (var round = 0; round < 2_000; round++)
        {
            for (var i = random.Next(8); i > 0; i--)
            {
                // Few distinct times, sources and sequences: equal keys happen, and must leave in the same order.
                var key = new SimEventKey(round + random.Next(50), random.Next(3), random.Next(4));
                queue.Enqueue(key, id);
                reference.Enqueue(id, key);
                id++;
            }
            var horizon = round + random.Next(30);
            while (queue.TryDequeueBefore(horizon, out var key, out var item))
            {
                Assert.True(reference.TryDequeue(out var expected, out var expectedKey));
                Assert.Equal((expected, expectedKey), (item, key));
            }
            Assert.Equal(reference.Count, queue.Count);
            Assert.True(reference.Count == 0 || reference.TryPeek(out _, out var next) && next.Time >= horizon);
        }
    }
}

using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using NumaSim.Formats.Trace;

namespace NumaSim.Replay;

/// <summary>
/// Parses a trace on a second thread, ahead of the replay: events go over in batches through a bounded queue, so
/// parsing and the model overlap on two cores while memory stays constant in the trace's length. Events arrive
/// in trace order; the model itself still runs on the one thread that enumerates. An exception of the parser (a
/// malformed line in strict mode, an unreadable file) is rethrown to that thread after the events before it.
/// </summary>
internal static class ReadAhead
{
    private const int BatchSize = 4096;

    /// <summary>Batches parsed ahead at most.</summary>
    private const int Depth = 8;

    public static IEnumerable<KmemEvent> Of(IEnumerable<KmemEvent> source, CancellationToken cancel)
    {
        using var queue = new BlockingCollection<(KmemEvent[] Events, int Count)>(Depth);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Exception? failure = null;
        var producer = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    var batch = new KmemEvent[BatchSize];
                    var count = 0;
                    foreach (var e in source)
                    {
                        batch[count++] = e;
                        if (count == BatchSize)
                        {
                            queue.Add((batch, count), stop.Token);
                            batch = new KmemEvent[BatchSize];
                            count = 0;
                        }
                    }
                    if (count > 0)
                    {
                        queue.Add((batch, count), stop.Token);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // The consumer stopped early or the replay was cancelled: nothing more to hand over.
                }
                catch (Exception e)
                {
                    failure = e;
                }
                finally
                {
                    queue.CompleteAdding();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            foreach (var (events, count) in queue.GetConsumingEnumerable(cancel))
            {
                for (var i = 0; i < count; i++)
                {
                    yield return events[i];
                }
            }
        }
        finally
        {
            stop.Cancel();
            producer.Wait(CancellationToken.None);
        }
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }
}

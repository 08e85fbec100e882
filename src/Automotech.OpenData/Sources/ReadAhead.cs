using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Reads a source on its own thread, one batch ahead of the stages that consume it, so that
/// parsing (one core) overlaps validation and anonymisation (the other). Each batch the source
/// yields is copied (references only) into one of a few recycled batches; at most
/// <c>depth</c> wait in between, so memory stays bounded. What the source reports to the sink
/// while filling a batch (unreadable rows, warnings) is replayed on the consumer's thread just
/// before that batch, so the quarantine sees exactly the sequence a sequential read gives.
/// A source's failure surfaces, with its own exception, after the batches read before it.
/// </summary>
public static class ReadAhead
{
    /// <param name="readTime">Receives the time spent inside the source (the producer thread).</param>
    public static async IAsyncEnumerable<ColumnBatch> ReadAsync(IRecordSource source, IRejectedRowSink sink, int depth, Action<TimeSpan> readTime, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var filled = Channel.CreateBounded<Item>(new BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true });
        var free = new System.Collections.Concurrent.ConcurrentBag<ColumnBatch>();
        var producer = Task.Run(() => ProduceAsync(source, filled.Writer, free, readTime, stop.Token), stop.Token);
        var completed = false;
        try
        {
            await foreach (var item in filled.Reader.ReadAllAsync(cancellationToken))
            {
                item.Reports.Replay(sink);
                if (item.Batch is { } batch)
                {
                    yield return batch;
                    batch.Clear();
                    free.Add(batch);
                }
            }

            completed = true;
            await producer; // the source's own exception, if it failed
        }
        finally
        {
            if (!completed)
            {
                await stop.CancelAsync();
                try
                {
                    await producer;
                }
                catch (Exception)
                {
                    // The consumer stopped first (its exception is the one that matters).
                }
            }
        }
    }

    private static async Task ProduceAsync(IRecordSource source, ChannelWriter<Item> writer, System.Collections.Concurrent.ConcurrentBag<ColumnBatch> free, Action<TimeSpan> readTime, CancellationToken cancellationToken)
    {
        var reports = new RecordingSink();
        var clock = Stopwatch.StartNew();
        try
        {
            await foreach (var batch in source.ReadAsync(reports, cancellationToken))
            {
                if (!free.TryTake(out var copy) || copy.Capacity < batch.Count)
                {
                    copy = new ColumnBatch(batch.FieldNames, batch.Capacity);
                }

                copy.CopyFrom(batch);
                readTime(clock.Elapsed);
                await writer.WriteAsync(new Item(copy, reports.Take()), cancellationToken);
                clock.Restart();
            }

            readTime(clock.Elapsed);
            await writer.WriteAsync(new Item(null, reports.Take()), cancellationToken);
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private sealed record Item(ColumnBatch? Batch, RecordingSink.Reports Reports);

    /// <summary>Keeps what the source reports, in order, until the consumer replays it.</summary>
    private sealed class RecordingSink : IRejectedRowSink
    {
        private List<object> pending = [];

        public void Reject(RejectedRow row) => pending.Add(row);

        public void Warn(RowError warning) => pending.Add(warning);

        public Reports Take()
        {
            var taken = new Reports(pending);
            pending = [];
            return taken;
        }

        public sealed class Reports(List<object> items)
        {
            public void Replay(IRejectedRowSink sink)
            {
                foreach (var item in items)
                {
                    if (item is RejectedRow row)
                    {
                        sink.Reject(row);
                    }
                    else
                    {
                        sink.Warn((RowError)item);
                    }
                }
            }
        }
    }
}

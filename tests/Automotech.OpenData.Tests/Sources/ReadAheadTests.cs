using System.Runtime.CompilerServices;
using Automotech.OpenData.Sources;
using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Tests.Sources;

public class ReadAheadTests
{
    [Fact]
    public async Task Batches_and_the_sources_reports_arrive_in_the_order_a_sequential_read_gives()
    {
        var source = new ScriptedSource(batches: 9, rowsPerBatch: 5);
        var sequential = new EventLog();
        await foreach (var batch in source.ReadAsync(sequential.Sink, CancellationToken.None))
        {
            sequential.Batch(batch);
        }

        var ahead = new EventLog();
        var read = TimeSpan.Zero;
        await foreach (var batch in ReadAhead.ReadAsync(new ScriptedSource(batches: 9, rowsPerBatch: 5), ahead.Sink, depth: 1, t => read += t, CancellationToken.None))
        {
            await Task.Delay(1); // a slow consumer: the producer runs ahead and waits
            ahead.Batch(batch);
        }

        Assert.Equal(sequential.Events, ahead.Events);
        Assert.Contains("reject 14", ahead.Events);
        Assert.Contains("warn 44", ahead.Events);
        Assert.Equal("reject end", ahead.Events[^1]);
        Assert.True(read > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_source_failure_surfaces_with_its_own_exception_after_the_batches_read_before_it()
    {
        var log = new EventLog();
        var failure = await Assert.ThrowsAsync<PipelineException>(async () =>
        {
            await foreach (var batch in ReadAhead.ReadAsync(new ScriptedSource(batches: 9, rowsPerBatch: 5, failAfter: 3), log.Sink, depth: 1, _ => { }, CancellationToken.None))
            {
                log.Batch(batch);
            }
        });
        Assert.Equal("source broke after 3 batches", failure.Message);
        Assert.Equal(3, log.Events.Count(e => e.StartsWith("batch", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_consumer_that_stops_early_stops_the_source()
    {
        var source = new ScriptedSource(batches: 1_000, rowsPerBatch: 2);
        await foreach (var batch in ReadAhead.ReadAsync(source, new EventLog().Sink, depth: 1, _ => { }, CancellationToken.None))
        {
            if (batch.LineNumber(0) > 10)
            {
                break;
            }
        }

        Assert.True(source.Yielded < 10, $"the source went on to batch {source.Yielded}");
        Assert.True(source.Finished, "the source's enumerator was not disposed");
    }

    private sealed class EventLog
    {
        public List<string> Events { get; } = [];

        public IRejectedRowSink Sink => new Recorder(Events);

        public void Batch(ColumnBatch batch) =>
            Events.Add($"batch {string.Join(",", Enumerable.Range(0, batch.Count).Select(r => $"{batch.LineNumber(r)}:{batch.Get(r, 0)}"))}");

        private sealed class Recorder(List<string> events) : IRejectedRowSink
        {
            public void Reject(RejectedRow row) => events.Add(row.LineNumber < 0 ? "reject end" : $"reject {row.LineNumber}");

            public void Warn(RowError warning) => events.Add($"warn {warning.LineNumber}");
        }
    }

    /// <summary>Yields numbered rows in one reused batch, reporting a rejection every 7th line and a warning every 11th.</summary>
    private sealed class ScriptedSource(int batches, int rowsPerBatch, int failAfter = -1) : IRecordSource
    {
        public string Description => "scripted";

        public string Details => "";

        public long SizeBytes => 0;

        public long RowsRead { get; private set; }

        public double Fraction => 0;

        public int Yielded { get; private set; }

        public bool Finished { get; private set; }

        public async IAsyncEnumerable<ColumnBatch> ReadAsync(IRejectedRowSink sink, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var batch = new ColumnBatch(["value"], rowsPerBatch);
            var line = 0L;
            try
            {
                for (var b = 0; b < batches; b++)
                {
                    if (b == failAfter)
                    {
                        throw new PipelineException($"source broke after {failAfter} batches");
                    }

                    batch.Clear();
                    while (!batch.IsFull)
                    {
                        line++;
                        if (line % 7 == 0)
                        {
                            sink.Reject(new RejectedRow(line, [], []));
                            continue;
                        }

                        if (line % 11 == 0)
                        {
                            sink.Warn(new RowError(line, "value", "t", "c", "m", IsWarning: true));
                        }

                        batch.Set(batch.AddRow(line), 0, $"v{line}");
                        RowsRead++;
                    }

                    await Task.Yield();
                    cancellationToken.ThrowIfCancellationRequested();
                    Yielded++;
                    yield return batch;
                }

                sink.Reject(new RejectedRow(-1, [], []));
            }
            finally
            {
                Finished = true;
            }
        }
    }
}

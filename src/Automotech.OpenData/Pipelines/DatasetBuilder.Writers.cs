using System.Diagnostics;
using Automotech.OpenData.Writers;

namespace Automotech.OpenData.Pipelines;

public sealed partial class DatasetBuilder
{
    /// <summary>The source's batches, with the time spent producing each one added to <paramref name="readTime"/>.</summary>
    private static async IAsyncEnumerable<ColumnBatch> Timed(IAsyncEnumerable<ColumnBatch> batches, Action<TimeSpan> readTime)
    {
        var clock = Stopwatch.StartNew();
        await foreach (var batch in batches)
        {
            readTime(clock.Elapsed);
            yield return batch;
            clock.Restart();
        }

        readTime(clock.Elapsed);
    }

    private static async Task TimedWriteAsync(List<IDatasetWriter> writers, ColumnBatch batch, StageTimings timings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await WriteAllAsync(writers, batch, cancellationToken);
        timings.Write += clock.Elapsed;
    }

    /// <summary>
    /// The same batch to every format at once: each writer has its own file and state and only
    /// reads the batch, so they run in parallel (the second core); each file's bytes are unchanged.
    /// </summary>
    private static async Task WriteAllAsync(List<IDatasetWriter> writers, ColumnBatch batch, CancellationToken cancellationToken)
    {
        if (writers.Count == 1)
        {
            await writers[0].WriteAsync(batch, cancellationToken);
            return;
        }

        await Task.WhenAll(writers.Select(w => Task.Run(() => w.WriteAsync(batch, cancellationToken), cancellationToken)));
    }

    /// <summary>
    /// Every format's writer, or none: when one cannot be created (its file cannot be, an output
    /// option is wrong, the run is cancelled), those already created are disposed, so that no file
    /// stays open (on Windows, locked) and no pooled buffer is lost, and the creation's own error
    /// is thrown.
    /// </summary>
    private async Task<List<IDatasetWriter>> CreateWritersAsync(PipelineDefinition pipeline, string version, string directory, CancellationToken cancellationToken)
    {
        var writers = new List<IDatasetWriter>();
        try
        {
            await AddWritersAsync(writers, pipeline, version, directory, cancellationToken);
            return writers;
        }
        catch
        {
            await DisposeAfterFailureAsync(writers);
            throw;
        }
    }

    /// <summary>Disposes writers after a failure; an error closing one must not hide the failure, nor keep the others open.</summary>
    private static async Task DisposeAfterFailureAsync(List<IDatasetWriter> writers)
    {
        foreach (var writer in writers)
        {
            try
            {
                await writer.DisposeAsync();
            }
            catch (IOException)
            {
                // The failure being thrown says why the run stopped; this file is abandoned anyway.
            }
        }
    }

    private async Task AddWritersAsync(List<IDatasetWriter> writers, PipelineDefinition pipeline, string version, string directory, CancellationToken cancellationToken)
    {
        PrivateFiles.CreateDirectory(directory);
        if (pipeline.Outputs.Formats.Contains("csv"))
        {
            writers.Add(new CsvDatasetWriter(Path.Combine(directory, pipeline.Id + ".csv"), pipeline.Schema, neutraliseFormulas: pipeline.Validation.FormulaCells == "neutralise"));
        }

        if (pipeline.Outputs.Formats.Contains("parquet"))
        {
            var metadata = new Dictionary<string, string>
            {
                ["dataset"] = pipeline.Id,
                ["version"] = version,
                ["title"] = pipeline.Metadata.Title,
                ["license"] = pipeline.Metadata.Licence.Url,
            };
            // A row group's columns are encoded on Pipeline:Threads threads (the bytes do not depend on it).
            writers.Add(await ParquetDatasetWriter.CreateAsync(Path.Combine(directory, pipeline.Id + ".parquet"), pipeline.Schema, metadata, cancellationToken, options.Threads));
            if (pipeline.Outputs.PartitionBy is { } field)
            {
                writers.Add(new PartitionedParquetWriter(directory, pipeline.Id, pipeline.Schema, field, pipeline.Outputs.MaxPartitions, metadata, options.Threads));
            }
        }

        if (pipeline.Outputs.Formats.Contains("geojson"))
        {
            writers.Add(new GeoJsonDatasetWriter(Path.Combine(directory, pipeline.Id + ".geojson"), pipeline.Schema, pipeline.Outputs.LatitudeField, pipeline.Outputs.LongitudeField));
        }
    }
}

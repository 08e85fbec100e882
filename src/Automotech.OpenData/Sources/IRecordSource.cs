using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Where a pipeline's records come from (<c>source.kind</c> in pipeline.yaml): a stream of
/// <see cref="ColumnBatch"/>es holding the declared source fields, in declaration order.
/// Memory holds one batch whatever the source's size. Rows that cannot be read go to the sink
/// with their location; a source that cannot be read at all throws a
/// <see cref="PipelineException"/> naming it, and the run publishes nothing.
/// </summary>
public interface IRecordSource
{
    /// <summary>What is read, for messages and logs (a path, a URL without its query, a blob name). Never a secret.</summary>
    string Description { get; }

    /// <summary>How it was read ("utf-8 (detected), delimiter ;"...), known once reading has started.</summary>
    string Details { get; }

    /// <summary>The source's size in bytes when known before reading (progress displays); 0 otherwise.</summary>
    long SizeBytes { get; }

    long RowsRead { get; }

    /// <summary>Why no row was read, for the run's error when <see cref="RowsRead"/> is 0 (a filter that kept nothing, an empty file).</summary>
    string NoRowsReason => $"{Description} has no data rows";

    /// <summary>The share of the source read so far (0 to 1), for progress displays.</summary>
    double Fraction { get; }

    IAsyncEnumerable<ColumnBatch> ReadAsync(IRejectedRowSink sink, CancellationToken cancellationToken);
}

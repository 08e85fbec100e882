namespace Automotech.OpenData.Writers;

/// <summary>Writes a dataset file batch by batch; memory holds one batch at most.</summary>
public interface IDatasetWriter : IAsyncDisposable
{
    /// <summary>The file being written.</summary>
    string Path { get; }

    Task WriteAsync(ColumnBatch batch, CancellationToken cancellationToken);

    /// <summary>Finishes the file (footer, flush). Without it the file is incomplete.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}

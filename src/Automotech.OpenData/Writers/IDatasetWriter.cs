namespace Automotech.OpenData.Writers;

/// <summary>Writes a dataset file batch by batch; memory holds one batch at most.</summary>
public interface IDatasetWriter : IAsyncDisposable
{
    /// <summary>The file being written.</summary>
    string Path { get; }

    /// <summary>The files written, relative to the build folder ('/'-separated): the file of <see cref="Path"/> unless the writer makes several.</summary>
    IReadOnlyList<string> Files => [System.IO.Path.GetFileName(Path)];

    Task WriteAsync(ColumnBatch batch, CancellationToken cancellationToken);

    /// <summary>Finishes the file (footer, flush). Without it the file is incomplete.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}

namespace Automotech.OpenData.Pipelines;

/// <summary>
/// Where a run reports its progress: a progress display on a terminal, nothing in CI (where
/// the structured logs tell the story). Calls come from the run's own flow, one at a time.
/// </summary>
public interface IRunProgress
{
    /// <summary>A dataset starts reading its source, of <paramref name="sourceBytes"/> bytes.</summary>
    void DatasetStarted(string id, long sourceBytes);

    /// <summary>Rows read so far, and the share of the source's bytes behind them (0 to 1).</summary>
    void RowsRead(string id, long rows, double fraction);

    void DatasetDone(string id);

    /// <summary>Publishing starts: <paramref name="files"/> files to compare and upload.</summary>
    void PublishStarted(int files);

    void FilePublished(string path, bool written);
}

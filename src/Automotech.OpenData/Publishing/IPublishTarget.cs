namespace Automotech.OpenData.Publishing;

/// <summary>
/// Where the catalogue is published: a local folder, or (later) a blob container. It is also
/// the only state between runs: the previous <c>releases.json</c> and files are read back from it.
/// Paths use '/' and are relative to the published root.
/// </summary>
public interface IPublishTarget
{
    /// <summary>For logs: the folder or container, never a secret.</summary>
    string Description { get; }

    /// <summary>
    /// Takes the target's publish lock for the whole run (before <c>releases.json</c> is read), or
    /// throws a <see cref="PipelineException"/> at once when another publisher holds it.
    /// </summary>
    Task<PublishLock> LockAsync(CancellationToken cancellationToken);

    /// <summary>The file's content, or null when it does not exist.</summary>
    Task<Stream?> TryOpenReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>Whether the target already holds exactly this content at this path.</summary>
    Task<bool> HoldsAsync(StagedFile file, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the file is still as this run read it with <see cref="TryOpenReadAsync"/> (or still
    /// absent); true for a file the run never read.
    /// </summary>
    Task<bool> StillAsReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>Writes one file, replacing any previous content at once (never half a file).</summary>
    Task WriteAsync(StagedFile file, CancellationToken cancellationToken);

    /// <summary>The paths of the files under <paramref name="folder"/> (ending in '/'), at any depth.</summary>
    Task<IReadOnlyList<string>> ListAsync(string folder, CancellationToken cancellationToken);

    /// <summary>Removes one file; a file already gone is not an error.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// The file as it is now, streamed, or null when it does not exist, for a reader outside any
    /// publish (<c>verify</c>): unlike <see cref="TryOpenReadAsync"/>, it keeps no record for later
    /// writes and writes or removes nothing (the folder target's first <see cref="TryOpenReadAsync"/>
    /// removes the <c>.partial</c> files a stopped run left).
    /// </summary>
    Task<Stream?> ReadCurrentAsync(string path, CancellationToken cancellationToken);

    /// <summary>Whether a publisher holds the publish lock now, seen without taking it (nor writing anything).</summary>
    Task<PublishLockState> LockStateAsync(CancellationToken cancellationToken);
}

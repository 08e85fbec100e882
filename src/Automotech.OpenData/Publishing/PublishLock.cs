namespace Automotech.OpenData.Publishing;

/// <summary>
/// One publisher at a time, by a lock the target itself holds: taken before the run reads
/// <c>releases.json</c> and held until its last upload and clean-up, so a second publisher (the
/// weekly CI, a manual <c>publish</c>, the <c>run</c> verb's schedule, on any machine) stops before
/// it reads or writes anything, with a clear error. The optimistic checks of each write (size and
/// time or sha256 in a folder, ETag in a container) stay as a second line of defence. The lock's
/// own file or blob (<see cref="FileName"/>) is never listed, published or removed as data.
/// </summary>
public abstract class PublishLock : IAsyncDisposable
{
    /// <summary>The lock file (folder) or lock blob (container), at the published root.</summary>
    public const string FileName = ".publish-lock";

    /// <summary>No lock: the optimistic checks alone (test targets that wrap another).</summary>
    public static PublishLock None { get; } = new NoLock();

    /// <summary>Cancelled when the lock is lost while the run holds it (a lease that could not be renewed in time).</summary>
    public virtual CancellationToken Lost => CancellationToken.None;

    /// <summary>Why the lock was lost, once <see cref="Lost"/> is cancelled.</summary>
    public virtual string? LostReason => null;

    /// <summary>Releases the lock; never throws (a lock that cannot be released expires or goes with the process).</summary>
    public abstract ValueTask DisposeAsync();

    private sealed class NoLock : PublishLock
    {
        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>
/// The publish lock as a reader sees it without taking it: whether a publisher holds it, who (when
/// the target says: a container's lock names its host and start time), and a mark that changes each
/// time a publisher takes it where the target can tell (a container's lock blob's ETag, since each
/// publisher writes its metadata; null in a folder, whose flock leaves no trace).
/// </summary>
public sealed record PublishLockState(bool Held, string? Holder = null, string? Generation = null);

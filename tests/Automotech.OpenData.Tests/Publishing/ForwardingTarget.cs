using Automotech.OpenData.Publishing;

namespace Automotech.OpenData.Tests.Publishing;

/// <summary>A target that hands every call to another: tests override the one they disturb.</summary>
internal class ForwardingTarget(IPublishTarget inner) : IPublishTarget
{
    public virtual string Description => inner.Description;

    /// <summary>
    /// No lock by default: the tests of the optimistic checks (the second line of defence) need two
    /// publishers at once. A test of the lock itself overrides this to forward it.
    /// </summary>
    public virtual Task<PublishLock> LockAsync(CancellationToken cancellationToken) => Task.FromResult(PublishLock.None);

    /// <summary>The inner target's own lock, for a test of the lock that overrides <see cref="LockAsync"/>.</summary>
    protected Task<PublishLock> InnerLockAsync(CancellationToken cancellationToken) => inner.LockAsync(cancellationToken);

    public virtual Task<Stream?> TryOpenReadAsync(string path, CancellationToken cancellationToken) => inner.TryOpenReadAsync(path, cancellationToken);

    public virtual Task<bool> HoldsAsync(StagedFile file, CancellationToken cancellationToken) => inner.HoldsAsync(file, cancellationToken);

    public virtual Task<bool> StillAsReadAsync(string path, CancellationToken cancellationToken) => inner.StillAsReadAsync(path, cancellationToken);

    public virtual Task WriteAsync(StagedFile file, CancellationToken cancellationToken) => inner.WriteAsync(file, cancellationToken);

    public virtual Task<IReadOnlyList<string>> ListAsync(string folder, CancellationToken cancellationToken) => inner.ListAsync(folder, cancellationToken);

    public virtual Task DeleteAsync(string path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

    public virtual Task<Stream?> ReadCurrentAsync(string path, CancellationToken cancellationToken) => inner.ReadCurrentAsync(path, cancellationToken);

    public virtual Task<PublishLockState> LockStateAsync(CancellationToken cancellationToken) => inner.LockStateAsync(cancellationToken);
}

/// <summary>A target that fails on its (k+1)-th write, as a dropped connection would.</summary>
internal sealed class FailingTarget(IPublishTarget inner, int failAfter) : ForwardingTarget(inner)
{
    private int writes;

    public override Task WriteAsync(StagedFile file, CancellationToken cancellationToken) =>
        writes++ == failAfter ? throw new IOException($"connection lost after {failAfter} uploads") : base.WriteAsync(file, cancellationToken);
}

/// <summary>
/// Holds the run once it has read one path, until released: another publisher then runs meanwhile.
/// With <paramref name="locks"/>, it takes the inner target's lock first (a test of the lock).
/// </summary>
internal sealed class HeldAfterReading(IPublishTarget inner, string path, TaskCompletionSource reached, Task gate, bool locks = false) : ForwardingTarget(inner)
{
    /// <summary>The inner target's lock once the run has taken it (with <paramref name="locks"/>): a test waits on its <see cref="PublishLock.Lost"/>.</summary>
    public PublishLock? Taken { get; private set; }

    public override async Task<PublishLock> LockAsync(CancellationToken cancellationToken) =>
        locks ? Taken = await InnerLockAsync(cancellationToken) : await base.LockAsync(cancellationToken);

    public override async Task<Stream?> TryOpenReadAsync(string read, CancellationToken cancellationToken)
    {
        var stream = await base.TryOpenReadAsync(read, cancellationToken);
        if (read == path)
        {
            reached.TrySetResult();
            await gate;
        }

        return stream;
    }
}

/// <summary>Runs <paramref name="meanwhile"/> once, before the first read of a file under datasets/.</summary>
internal sealed class DuringFirstRead(IPublishTarget inner, Func<Task> meanwhile) : ForwardingTarget(inner)
{
    private bool done;

    public override async Task<Stream?> ReadCurrentAsync(string path, CancellationToken cancellationToken)
    {
        if (!done && path.StartsWith("datasets/", StringComparison.Ordinal))
        {
            done = true;
            await meanwhile();
        }

        return await base.ReadCurrentAsync(path, cancellationToken);
    }
}

using System.Runtime.ExceptionServices;

namespace Automotech.OpenData;

/// <summary>
/// Runs per-row work of a batch on several threads, each a contiguous share of the rows. The
/// work must touch only its own rows (and thread-safe or per-share state); whatever depends on
/// earlier rows stays with the caller, in row order, so results do not depend on the split.
/// </summary>
internal static class RowShares
{
    /// <summary>Rows per thread below which a batch is done on one thread (starting threads would cost more).</summary>
    public const int MinRowsPerShare = 1_000;

    /// <summary>How many shares <paramref name="rows"/> rows make with at most <paramref name="threads"/> threads.</summary>
    public static int Count(int rows, int threads) => Math.Clamp(rows / MinRowsPerShare, 1, Math.Max(1, threads));

    /// <summary>Calls <paramref name="work"/>(share, from, to) for each share; one share runs on the caller's thread.</summary>
    public static void Run(int rows, int shares, Action<int, int, int> work)
    {
        if (shares <= 1)
        {
            work(0, 0, rows);
            return;
        }

        try
        {
            Parallel.For(0, shares, new ParallelOptions { MaxDegreeOfParallelism = shares }, share =>
                work(share, (int)((long)rows * share / shares), (int)((long)rows * (share + 1) / shares)));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            // The error a single thread would have thrown, not a wrapper.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }
}

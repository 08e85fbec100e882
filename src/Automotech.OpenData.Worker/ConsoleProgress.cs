using System.Globalization;
using Automotech.OpenData.Pipelines;
using Spectre.Console;

namespace Automotech.OpenData.Worker;

/// <summary>Progress bars on a terminal (Spectre.Console): one per dataset read, one for publishing.</summary>
internal sealed class ConsoleProgress(ProgressContext context) : IRunProgress
{
    /// <summary>The bars' text is French: so are its numbers ("12 345 Kio"), whatever the machine's culture.</summary>
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>How often, at most, the bars are redrawn while rows are read and files published.</summary>
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<string, ProgressTask> datasets = new(StringComparer.Ordinal);
    private ProgressTask? publishing;
    private long lastRefresh;

    /// <summary>
    /// Runs <paramref name="work"/> under a live progress display on <paramref name="terminal"/>.
    /// The bars are redrawn by the updates themselves, not by Spectre's refresh thread: that
    /// thread, when the work ended before it had started, was never stopped and went on drawing
    /// after the display had ended, into a writer its owner had closed (a test host crashed on
    /// it in CI: ObjectDisposedException on the refresh thread).
    /// </summary>
    public static async Task<T> ShowAsync<T>(IAnsiConsole terminal, Func<IRunProgress, Task<T>> work)
    {
        T result = default!;
        await terminal.Progress()
            .AutoRefresh(false)
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context => result = await work(new ConsoleProgress(context)));
        return result;
    }

    public void DatasetStarted(string id, long sourceBytes)
    {
        datasets[id] = context.AddTask(Markup.Escape(string.Create(French, $"{id} : lecture et validation ({sourceBytes / 1024:N0} Kio)")), maxValue: 1);
        Refresh(now: true);
    }

    public void RowsRead(string id, long rows, double fraction)
    {
        if (datasets.TryGetValue(id, out var task))
        {
            task.Description = Markup.Escape(string.Create(French, $"{id} : {rows:N0} lignes lues"));
            task.Value = fraction;
            Refresh(now: false);
        }
    }

    public void DatasetDone(string id)
    {
        if (datasets.TryGetValue(id, out var task))
        {
            task.Value = task.MaxValue;
            task.StopTask();
            Refresh(now: true);
        }
    }

    public void PublishStarted(int files)
    {
        publishing = context.AddTask(Markup.Escape(string.Create(French, $"Publication ({files} fichiers)")), maxValue: Math.Max(1, files));
        Refresh(now: true);
    }

    public void FilePublished(string path, bool written)
    {
        publishing?.Increment(1);
        Refresh(now: false);
    }

    /// <summary>Redraws the bars: at once, or when the last redraw is <see cref="RefreshEvery"/> old. Spectre draws them a last time when the work ends.</summary>
    private void Refresh(bool now)
    {
        var last = Interlocked.Read(ref lastRefresh);
        var time = System.Diagnostics.Stopwatch.GetTimestamp();
        if ((now || System.Diagnostics.Stopwatch.GetElapsedTime(last, time) >= RefreshEvery) && Interlocked.CompareExchange(ref lastRefresh, time, last) == last)
        {
            context.Refresh();
        }
    }
}

using System.Globalization;
using Automotech.OpenData.Pipelines;
using Spectre.Console;

namespace Automotech.OpenData.Worker;

/// <summary>Progress bars on a terminal (Spectre.Console): one per dataset read, one for publishing.</summary>
internal sealed class ConsoleProgress(ProgressContext context) : IRunProgress
{
    /// <summary>The bars' text is French: so are its numbers ("12 345 Kio"), whatever the machine's culture.</summary>
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    private readonly Dictionary<string, ProgressTask> datasets = new(StringComparer.Ordinal);
    private ProgressTask? publishing;

    /// <summary>Runs <paramref name="work"/> under a live progress display on <paramref name="terminal"/>.</summary>
    public static async Task<T> ShowAsync<T>(IAnsiConsole terminal, Func<IRunProgress, Task<T>> work)
    {
        T result = default!;
        await terminal.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context => result = await work(new ConsoleProgress(context)));
        return result;
    }

    public void DatasetStarted(string id, long sourceBytes) =>
        datasets[id] = context.AddTask(Markup.Escape(string.Create(French, $"{id} : lecture et validation ({sourceBytes / 1024:N0} Kio)")), maxValue: 1);

    public void RowsRead(string id, long rows, double fraction)
    {
        if (datasets.TryGetValue(id, out var task))
        {
            task.Description = Markup.Escape(string.Create(French, $"{id} : {rows:N0} lignes lues"));
            task.Value = fraction;
        }
    }

    public void DatasetDone(string id)
    {
        if (datasets.TryGetValue(id, out var task))
        {
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }

    public void PublishStarted(int files) => publishing = context.AddTask(Markup.Escape(string.Create(French, $"Publication ({files} fichiers)")), maxValue: Math.Max(1, files));

    public void FilePublished(string path, bool written) => publishing?.Increment(1);
}

using Automotech.OpenData.Worker;
using Microsoft.Extensions.Time.Testing;

namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>Runs the worker in-process, as the CLI would, on folders of a test's own.</summary>
public sealed class DemoSite : IDisposable
{
    public static readonly DateTimeOffset RunTime = new(2026, 11, 25, 16, 30, 0, TimeSpan.Zero);

    private readonly TempFolder temp = new();

    /// <param name="clock">The run's clock; by default one stopped at <see cref="RunTime"/>.</param>
    public DemoSite(FakeTimeProvider? clock = null) => Clock = clock ?? new FakeTimeProvider(RunTime);

    public FakeTimeProvider Clock { get; }

    public string Site => temp.Combine("site");

    /// <summary>
    /// Whether the site folder holds anything but the publish lock's empty file (which a run
    /// creates before it reads releases.json, and leaves when it fails).
    /// </summary>
    public bool PublishedAnything => Directory.Exists(Site)
        && Directory.EnumerateFileSystemEntries(Site, "*", SearchOption.AllDirectories).Any(e => System.IO.Path.GetRelativePath(Site, e) != Automotech.OpenData.Publishing.PublishLock.FileName);

    public string Quarantine => temp.Combine("quarantine");

    public string Work => temp.Combine("work");

    /// <summary>
    /// What the verb wrote to its output (its summary, a report); <see cref="Error"/>, its errors.
    /// Neither holds a log line: in-process, the worker logs to the test process's console, and to
    /// <see cref="Log"/>, which a test about what the log says reads (or it runs the built Worker,
    /// <c>FailureTests.RunBuiltWorkerAsync</c>, to read its console as CI does).
    /// </summary>
    public string Output { get; private set; } = "";

    public string Error { get; private set; } = "";

    public string Path(params string[] parts) => System.IO.Path.Combine([Site, .. parts]);

    public string Temp(params string[] parts) => temp.Combine(parts);

    public Task<int> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    public async Task<int> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] folders =
        [
            $"--Pipeline:Directory={Repo.Pipelines}",
            $"--Pipeline:WorkDirectory={Work}",
            $"--Pipeline:QuarantineDirectory={Quarantine}",
            $"--Site:Templates={Repo.Templates}",
            $"--Publishing:Output={Site}",
            "--Logging:LogLevel:Default=Warning",

            // No key unless the test gives one: in-process, the host reads the test process's
            // environment, and a shell or CI job that exports Anonymisation__Key (the weekly
            // publish's secret) made the runs that rely on the demo key use it instead (the
            // pseudonyms of chiffres-cles' independent check no longer matched; the refusals of
            // a non-demo source without a key published).
            "--Anonymisation:Key=",
        ];
        // The test's own --Section:Key arguments come last, so they win over these defaults.
        var logs = new CapturedLogs();
        Volatile.Write(ref this.logs, logs);
        var code = await WorkerApp.RunAsync([.. args.Take(1), .. folders, .. args.Skip(1)], output, error, Clock, cancellationToken: cancellationToken, logs: logs);
        Output = output.ToString();
        Error = error.ToString();
        return code;
    }

    /// <summary>
    /// The log of the last run (or of the one running): every message at every level (Trace up,
    /// whatever the run's configured levels), each with its category and any exception whole, as a
    /// console would print them.
    /// </summary>
    public string Log => Volatile.Read(ref logs)?.Text ?? "";

    /// <summary>
    /// Waits until the running run's log holds <paramref name="text"/> <paramref name="times"/> times
    /// (a minute at most, then fails): a test of a long-running verb waits for what the run says it
    /// did, not for a fixed time that a slow machine can outlast.
    /// </summary>
    public Task WaitForLogAsync(string text, int times = 1) =>
        Eventually.WaitAsync(() => Count(Log, text) >= times, $"the log to say '{text}' {times} time(s)", () => $"the log holds:\n{Log}", poll: TimeSpan.FromMilliseconds(20));

    private static int Count(string log, string text)
    {
        var n = 0;
        for (var at = log.IndexOf(text, StringComparison.Ordinal); at >= 0; at = log.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    private CapturedLogs? logs;

    /// <summary>sha256 of every published file, by path.</summary>
    public Dictionary<string, string> Snapshot() =>
        Directory.EnumerateFiles(Site, "*", SearchOption.AllDirectories)
            .ToDictionary(f => System.IO.Path.GetRelativePath(Site, f), OpenData.Releases.FileHash.Sha256);

    public void Dispose() => temp.Dispose();
}

using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Publishing;
using Automotech.OpenData.Tests.Publishing;
using Automotech.OpenData.Worker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Automotech.OpenData.Tests.Worker;

/// <summary>What the schedule logs when an occurrence fails: true whether or not it had uploaded files.</summary>
[Collection(nameof(ProcessExitCode))]
public sealed class ScheduledPublisherTests
{
    // Upload k of a new release fails (see InterruptedPublishTests): 0, before any; 3, inside the new
    // version folders only; 14, once latest/ has its first new file.
    [Theory]
    [InlineData(0, "nothing published")]
    [InlineData(3, "3 file(s) of new version folders that releases.json does not list; the published catalogue is unchanged")]
    [InlineData(14, "part-way, after writing 14 file(s), latest/ or pages among them")]
    public async Task A_failed_occurrence_says_what_it_had_published(int failAfter, string expected)
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        var source = temp.File("source.csv", File.ReadAllText(Repo.DemoSource));
        var next = ActeursRun.WithoutLastRows(temp, source, "next.csv", 1);
        var options = ActeursRun.Options(temp, source);
        await new PipelineRunner(options, new LocalFolderTarget(options.OutputDirectory), clock, NullLogger.Instance).PublishAsync(CancellationToken.None);

        var logger = new RecordingLogger();
        var schedule = new ScheduledPublisher(
            Cronos.CronExpression.Parse("0 * * * *"),
            () => new PipelineRunner(options with { SourceOverride = next }, new FailingTarget(new LocalFolderTarget(options.OutputDirectory), failAfter), clock, NullLogger.Instance),
            clock,
            new Lifetime(),
            logger);
        using var stop = new CancellationTokenSource();
        await schedule.StartAsync(stop.Token);
        await Eventually.WaitAsync(() => logger.Messages.Any(m => m.Contains("failed", StringComparison.Ordinal)), "the occurrence's failure in the log",
            () => string.Join("\n", logger.Messages), meanwhile: () => clock.Advance(TimeSpan.FromMinutes(31)), poll: TimeSpan.FromMilliseconds(100));

        await stop.CancelAsync();
        await schedule.StopAsync(CancellationToken.None);
        var failed = Assert.Single(logger.Messages, m => m.Contains("failed", StringComparison.Ordinal));
        Assert.Contains(expected, failed, StringComparison.Ordinal);
        Assert.Contains($"connection lost after {failAfter} uploads", failed, StringComparison.Ordinal);
        if (failAfter > 0)
        {
            Assert.DoesNotContain("nothing published", failed, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unexpected_exception_stops_the_schedule_with_exit_70_naming_what_failed_never_its_message()
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        var options = ActeursRun.Options(temp, temp.File("source.csv", File.ReadAllText(Repo.DemoSource)));
        var logger = new RecordingLogger();
        var exitCode = Environment.ExitCode;
        try
        {
            var schedule = new ScheduledPublisher(
                Cronos.CronExpression.Parse("0 * * * *"),
                () => new PipelineRunner(options, new ThrowingTarget(new LocalFolderTarget(options.OutputDirectory)), clock, NullLogger.Instance),
                clock,
                new Lifetime(),
                logger);
            using var stop = new CancellationTokenSource();
            await schedule.StartAsync(stop.Token);
            await Eventually.WaitAsync(() => logger.Messages.Any(m => m.Contains("internal error", StringComparison.Ordinal)), "the schedule's internal error in the log",
                () => string.Join("\n", logger.Messages), meanwhile: () => clock.Advance(TimeSpan.FromMinutes(31)), poll: TimeSpan.FromMilliseconds(100));

            await stop.CancelAsync();
            await schedule.StopAsync(CancellationToken.None);
            var crashed = Assert.Single(logger.Messages, m => m.Contains("internal error", StringComparison.Ordinal));
            Assert.Equal(WorkerApp.InternalError, Environment.ExitCode);
            Assert.StartsWith($"The schedule stopped on an internal error (System.InvalidOperationException ← System.FormatException), stage publish (to folder {options.OutputDirectory}", crashed, StringComparison.Ordinal);
            Assert.Contains(", at Automotech.OpenData.Tests.Worker.ScheduledPublisherTests.ThrowingTarget.WriteAsync (ScheduledPublisherTests.cs:", crashed, StringComparison.Ordinal);
            Assert.All(logger.Messages, m =>
            {
                Assert.DoesNotContain("Vautrain", m, StringComparison.Ordinal);
                Assert.DoesNotContain("AccountKey", m, StringComparison.Ordinal);
            });
        }
        finally
        {
            Environment.ExitCode = exitCode; // the schedule sets the process's exit code: not the test run's
        }
    }

    /// <summary>Throws an exception whose message quotes a value and a secret at its first upload.</summary>
    private sealed class ThrowingTarget(IPublishTarget inner) : ForwardingTarget(inner)
    {
        public override Task WriteAsync(StagedFile file, CancellationToken cancellationToken) => throw InternalErrorTests.Unexpected();
    }

    private sealed class RecordingLogger : ILogger<ScheduledPublisher>
    {
        private readonly List<string> messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (messages)
                {
                    return [.. messages];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (messages)
            {
                messages.Add(formatter(state, exception));
            }
        }
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}

using Automotech.OpenData.Pipelines;
using Cronos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automotech.OpenData.Worker;

/// <summary>
/// The <c>run</c> verb: keeps the host alive and publishes on a cron schedule (Paris time). A run
/// that fails for its data or configuration, or because its source cannot be reached (the
/// sources report that as a <see cref="PipelineException"/>), publishes nothing; one that fails
/// while uploading (a target error) may have written part of its release, and its log says how
/// much; either way the next occurrence tries again; an unexpected failure stops the host with exit code 70 (a throwing BackgroundService
/// would otherwise exit 0). SIGTERM (or Ctrl+C) stops it gracefully: a publish in progress stops
/// between two uploads, which the upload order makes safe.
/// </summary>
internal sealed partial class ScheduledPublisher(
    CronExpression schedule,
    Func<PipelineRunner> runners,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<ScheduledPublisher> logger) : BackgroundService
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var now = clock.GetUtcNow();
                var next = schedule.GetNextOccurrence(now, PublicationTime.Zone);
                if (next is null)
                {
                    // The host checks this at start-up; should it happen later, stop rather than idle.
                    LogNoOccurrence(logger);
                    Environment.ExitCode = WorkerApp.Failure;
                    lifetime.StopApplication();
                    break;
                }

                LogNext(logger, next.Value);

                // One Task.Delay waits at most about 49.7 days: a quarterly or yearly schedule waits
                // in steps, each measured again against the clock.
                for (var left = next.Value - now; left > TimeSpan.Zero; left = next.Value - clock.GetUtcNow())
                {
                    await Task.Delay(left < LongestWait ? left : LongestWait, clock, stoppingToken);
                }

                var uploads = new UploadTally();
                try
                {
                    var runner = runners();
                    runner.Progress = uploads;
                    var report = await runner.PublishAsync(stoppingToken);
                    LogPublished(logger, report.NewVersions.Count == 0 ? "no new version" : string.Join(", ", report.NewVersions), report.Result.Written);
                }
                catch (Exception e) when (e is PipelineException or DatasetRejectedException or IOException && !stoppingToken.IsCancellationRequested)
                {
                    if (uploads.Written == 0)
                    {
                        LogRunFailed(logger, e.Message);
                    }
                    else if (!uploads.BeyondVersionFolders)
                    {
                        LogRunFailedInVersionFolders(logger, uploads.Written, e.Message);
                    }
                    else
                    {
                        LogRunFailedPartWay(logger, uploads.Written, e.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // graceful stop
        }
#pragma warning disable CA1031 // the schedule's last line of defence: stop the host with a non-zero code
        catch (Exception e)
#pragma warning restore CA1031
        {
            var failure = InternalErrorReport.Describe(e); // never e.Message: it may quote a value or a secret
            LogCrashed(logger, failure);
            Environment.ExitCode = WorkerApp.InternalError;
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Next publish at {Next:u}.")]
    private static partial void LogNext(ILogger logger, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled publish done: {Versions}; {Written} file(s) written.")]
    private static partial void LogPublished(ILogger logger, string versions, int written);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled publish failed, nothing published; the next occurrence will try again: {Reason}")]
    private static partial void LogRunFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled publish failed after writing {Written} file(s) of new version folders that releases.json does not list; the published catalogue is unchanged; the next occurrence will try again: {Reason}")]
    private static partial void LogRunFailedInVersionFolders(ILogger logger, int written, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled publish failed part-way, after writing {Written} file(s), latest/ or pages among them: until a run completes a publish, latest/ and the pages may be ahead of releases.json; the next occurrence will try again: {Reason}")]
    private static partial void LogRunFailedPartWay(ILogger logger, int written, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The schedule stopped on an {Failure}")]
    private static partial void LogCrashed(ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "The cron expression has no next occurrence: stopping.")]
    private static partial void LogNoOccurrence(ILogger logger);

    /// <summary>What an occurrence wrote before it failed: the log then says whether the catalogue changed.</summary>
    private sealed class UploadTally : IRunProgress
    {
        public int Written { get; private set; }

        /// <summary>Whether a written file lies outside the new version folders (latest/, pages, manifests), which readers see.</summary>
        public bool BeyondVersionFolders { get; private set; }

        public void DatasetStarted(string id, long sourceBytes)
        {
        }

        public void RowsRead(string id, long rows, double fraction)
        {
        }

        public void DatasetDone(string id)
        {
        }

        public void PublishStarted(int files)
        {
        }

        public void FilePublished(string path, bool written)
        {
            if (written)
            {
                Written++;
                BeyondVersionFolders |= Publishing.Publisher.Stage(path) != 0;
            }
        }
    }
}

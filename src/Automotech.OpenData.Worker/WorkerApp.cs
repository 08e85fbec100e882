using Automotech.OpenData.DemoData;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automotech.OpenData.Worker;

/// <summary>
/// The host: parses the verb, builds the Generic Host (configuration, logging, DI), runs the verb
/// and maps every outcome to an exit code with a one-line reason. It wires stages; it holds no
/// pipeline logic.
/// </summary>
public static class WorkerApp
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadUsage = 2;
    public const int InternalError = 70;

    /// <param name="terminal">An interactive terminal for progress bars; null (CI, redirected output) for plain logs.</param>
    /// <param name="logs">
    /// Also given every log message at every level, beside the console (whatever the configured
    /// levels): the tests' way to read an in-process run's log, to check that no secret and no
    /// personal value reaches it.
    /// </param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider? clock = null, Spectre.Console.IAnsiConsole? terminal = null, ILoggerProvider? logs = null, CancellationToken cancellationToken = default)
    {
        CommandLine command;
        try
        {
            command = CommandLine.Parse(args);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            await error.WriteLineAsync("Run 'help' for usage.");
            return BadUsage;
        }

        if (command.Verb == "help")
        {
            await output.WriteLineAsync(CommandLine.Usage);
            return Success;
        }

        using var host = BuildHost(command, clock, quietLogs: terminal is not null, logs);
        try
        {
            return command.Verb switch
            {
                "generate" => await GenerateAsync(command, output),
                "generate-sirene" => await GenerateSireneAsync(command, output),
                "validate" => await ValidateAsync(host.Services, output, terminal, cancellationToken),
                "publish" => await PublishAsync(host.Services, output, terminal, cancellationToken),
                "run" => await RunScheduleAsync(host, cancellationToken),
                "verify" => await VerifyAsync(host.Services, output, cancellationToken),
                _ => throw new UsageException($"Unknown verb '{command.Verb}'."),
            };
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return BadUsage;
        }
        catch (DatasetRejectedException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return Failure;
        }
        catch (PipelineException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return Failure;
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"error: input/output failure: {e.Message}");
            return Failure;
        }
        catch (UnauthorizedAccessException e)
        {
            await error.WriteLineAsync($"error: access denied: {e.Message}");
            return Failure;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync(command.Verb == "verify"
                ? "error: cancelled; the check was not finished (verify changes nothing)."
                : "error: cancelled; nothing more was published.");
            return Failure;
        }
        catch (OutOfMemoryException)
        {
            // The Worker's GC heap has a ceiling (System.GC.HeapHardLimit in its .csproj): memory
            // must not grow with the input, and a run that needs more says so instead of swapping.
            const string RaiseLimit = "raise the limit for this run with the environment variable DOTNET_GCHeapHardLimit (bytes, hexadecimal: 0x20000000 is 512 MiB).";
            await error.WriteLineAsync(command.Verb == "verify"
                ? "error: out of memory: the check needed more than the Worker's GC heap limit and was not finished (verify changes nothing); " + RaiseLimit
                : "error: out of memory: the run needed more than the Worker's GC heap limit; nothing more was published. Lower Pipeline:BatchSize, or " + RaiseLimit);
            return Failure;
        }
#pragma warning disable CA1031 // the host's last line of defence: one line, never a stack trace
        catch (Exception e)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"error: {InternalErrorReport.Describe(e)}"); // never e.Message: it may quote a value or a secret
            return InternalError;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static IHost BuildHost(CommandLine command, TimeProvider? clock, bool quietLogs, ILoggerProvider? logs)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. command.ConfigurationArgs],
            ContentRootPath = AppContext.BaseDirectory, // appsettings.json ships beside the binary
            ApplicationName = "Automotech.OpenData.Worker",
        });
        var overrides = new Dictionary<string, string?>();
        if (command.Verb is "publish" or "run" or "verify" && command.Get("output") is { } outputDirectory)
        {
            overrides[Settings.Output] = outputDirectory;
        }

        builder.Configuration.AddInMemoryCollection(overrides);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        if (quietLogs)
        {
            // The progress display tells the story on a terminal; logs keep to warnings and errors.
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        }

        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
            builder.Services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(logs.GetType().FullName, null, LogLevel.Trace, null)));
        }

        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Warning);
        builder.Services.AddSingleton(clock ?? TimeProvider.System);
        builder.Services.AddSingleton(sp => Settings.Bind(sp.GetRequiredService<IConfiguration>(), command.Get("pipeline"), command.Get("source")));
        builder.Services.AddSingleton(sp => Settings.BindTarget(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<RunOptions>()));
        builder.Services.AddSingleton(sp => new PipelineRunner(
            sp.GetRequiredService<RunOptions>(),
            sp.GetRequiredService<IPublishTarget>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Automotech.OpenData")));
        if (command.Verb == "run")
        {
            builder.Services.AddSingleton(sp =>
            {
                var text = sp.GetRequiredService<IConfiguration>()[Settings.ScheduleCron] ?? Settings.DefaultCron;
                Cronos.CronExpression expression;
                try
                {
                    expression = Cronos.CronExpression.Parse(text);
                }
                catch (Cronos.CronFormatException e)
                {
                    throw new PipelineException($"{Settings.ScheduleCron} '{text}' is not a cron expression (minute hour day month weekday): {e.Message}", e);
                }

                // A day that no month has (30 2, 31 4…) parses, and would leave the host idle for ever.
                return expression.GetNextOccurrence(sp.GetRequiredService<TimeProvider>().GetUtcNow(), PublicationTime.Zone) is null
                    ? throw new PipelineException($"{Settings.ScheduleCron} '{text}' never occurs (minute hour day month weekday, Paris time): none of the months it names has that day.")
                    : expression;
            });
            // A runner and a target per occurrence: each run starts from the target as it is then.
            // The blob target lists the container once and keeps that listing, so a host sharing
            // one across a week's runs compared new files with the first run's listing, and left a
            // latest/ file whose content had come back to what that listing said unwritten.
            builder.Services.AddSingleton<Func<PipelineRunner>>(sp => () =>
            {
                var configuration = sp.GetRequiredService<IConfiguration>();
                var options = Settings.Bind(configuration, command.Get("pipeline"), command.Get("source"));
                return new PipelineRunner(options, Settings.BindTarget(configuration, options), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Automotech.OpenData"));
            });
            builder.Services.AddHostedService<ScheduledPublisher>();
        }

        return builder.Build();
    }

    /// <summary>Runs the host until SIGTERM/Ctrl+C (or the token); the schedule sets a non-zero exit code if it crashes.</summary>
    private static async Task<int> RunScheduleAsync(IHost host, CancellationToken cancellationToken)
    {
        _ = host.Services.GetRequiredService<Cronos.CronExpression>(); // a bad expression fails now, with exit code 1
        _ = host.Services.GetRequiredService<PipelineRunner>();        // and so does a bad target or configuration
        Environment.ExitCode = Success;
        await host.RunAsync(cancellationToken);
        return Environment.ExitCode;
    }

    private static Task<T> WithProgressAsync<T>(PipelineRunner runner, Spectre.Console.IAnsiConsole? terminal, Func<Task<T>> work) =>
        terminal is null
            ? work()
            : ConsoleProgress.ShowAsync(terminal, progress =>
            {
                runner.Progress = progress;
                return work();
            });

    private static async Task<int> GenerateAsync(CommandLine command, TextWriter output)
    {
        var path = command.Get("output") ?? throw new UsageException("generate needs --output FILE.");
        var rows = command.GetInt("rows", 250, 1, 50_000_000);
        var seed = command.GetInt("seed", 42, 0, int.MaxValue);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using (var stream = File.Create(path))
        {
            DemoActorGenerator.Write(stream, rows, seed);
        }

        await output.WriteLineAsync($"Wrote {rows} fictional rows (seed {seed}) to {path}.");
        return Success;
    }

    private static async Task<int> GenerateSireneAsync(CommandLine command, TextWriter output)
    {
        var path = command.Get("output") ?? throw new UsageException("generate-sirene needs --output FILE.");
        var rows = command.GetInt("rows", 100_000, 1, (int)SireneStockGenerator.MaxRows);
        var seed = command.GetInt("seed", 42, 0, int.MaxValue);
        var shareText = command.Get("occitanie-share") ?? "0.09";
        if (!double.TryParse(shareText, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var share) || share > 1)
        {
            throw new UsageException("--occitanie-share must be a number between 0 and 1 (e.g. 0.09).");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            SireneStockGenerator.Write(stream, rows, seed, share);
        }

        await output.WriteLineAsync($"Wrote {rows} fictional Sirene-shaped rows (seed {seed}, {share.ToString(System.Globalization.CultureInfo.InvariantCulture)} in Occitanie) to {path}.");
        return Success;
    }

    private static async Task<int> ValidateAsync(IServiceProvider services, TextWriter output, Spectre.Console.IAnsiConsole? terminal, CancellationToken cancellationToken)
    {
        var runner = services.GetRequiredService<PipelineRunner>();
        try
        {
            var builds = await WithProgressAsync(runner, terminal, () => runner.ValidateAsync(cancellationToken));
            foreach (var build in builds)
            {
                await ValidationReport.WriteAsync(output, build, build.FirstErrors, true);
            }

            return Success;
        }
        catch (DatasetRejectedException e)
        {
            await ValidationReport.WriteAsync(output, e.Build, e.FirstErrors, false);
            throw;
        }
    }

    /// <summary>
    /// Reads the published target and prints one line per problem, then a summary. It takes no
    /// lock and needs no anonymisation key (TreeVerifier says why); exit 1 on any error, or when a
    /// publisher held or took the lock while it read.
    /// </summary>
    private static async Task<int> VerifyAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<RunOptions>();
        var target = services.GetRequiredService<IPublishTarget>();
        if (target is AzureBlobTarget container)
        {
            container.ReadsOnly = true; // its errors then name what verify needs: read and list
        }

        var report = await new TreeVerifier(target).VerifyAsync(cancellationToken);
        foreach (var finding in report.Findings)
        {
            await output.WriteLineAsync(finding.ToString());
        }

        if (report.Interrupted is { } interrupted)
        {
            await output.WriteLineAsync($"error: {PublishLock.FileName}: {interrupted}");
        }

        var where = target is LocalFolderTarget folder ? folder.Root : target.Description;
        var verdict = report.Interrupted is not null ? "not conclusive" : report.Sound ? "sound" : "damaged";
        await output.WriteLineAsync(System.FormattableString.Invariant(
            $"Verified {where}: {report.Datasets} dataset(s), {report.Versions} version(s), {report.Files} file(s) and {report.Bytes} bytes checked; {report.Errors} error(s), {report.Warnings} warning(s): {verdict}."));
        return report.Sound ? Success : Failure;
    }

    private static async Task<int> PublishAsync(IServiceProvider services, TextWriter output, Spectre.Console.IAnsiConsole? terminal, CancellationToken cancellationToken)
    {
        var runner = services.GetRequiredService<PipelineRunner>();
        var options = services.GetRequiredService<RunOptions>();
        var target = services.GetRequiredService<IPublishTarget>();
        var report = await WithProgressAsync(runner, terminal, () => runner.PublishAsync(cancellationToken));
        var versions = report.NewVersions.Count == 0 ? "no new version (content unchanged)" : "new: " + string.Join(", ", report.NewVersions);
        var where = target is LocalFolderTarget ? options.OutputDirectory : target.Description;
        await output.WriteLineAsync($"Published to {where}: {versions}; {report.Result.Written} file(s) written, {report.Result.Unchanged} unchanged"
            + (report.Result.Deleted > 0 ? $", {report.Result.Deleted} no longer published removed from latest/." : "."));
        return Success;
    }
}

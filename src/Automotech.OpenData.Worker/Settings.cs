using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Publishing;
using Microsoft.Extensions.Configuration;

namespace Automotech.OpenData.Worker;

/// <summary>
/// Every configuration key the worker reads, in one place (the README documents each one, and a
/// test holds it to that). Sources, last wins: appsettings.json beside the binary, environment
/// variables (<c>Pipeline__Directory</c>), <c>--Pipeline:Directory=…</c>, then the verb's options.
/// </summary>
public static class Settings
{
    public const string PipelinesDirectory = "Pipeline:Directory";
    public const string WorkDirectory = "Pipeline:WorkDirectory";
    public const string QuarantineDirectory = "Pipeline:QuarantineDirectory";
    public const string BatchSize = "Pipeline:BatchSize";
    public const string Overlap = "Pipeline:Overlap";
    public const string Threads = "Pipeline:Threads";
    public const string Output = "Publishing:Output";
    public const string Target = "Publishing:Target";
    public const string AzureConnectionString = "Publishing:Azure:ConnectionString";
    public const string AzureAccountUrl = "Publishing:Azure:AccountUrl";
    public const string AzureContainer = "Publishing:Azure:Container";
    public const string AzureServiceVersion = "Publishing:Azure:ServiceVersion";
    public const string Templates = "Site:Templates";
    public const string BaseUrl = "Site:BaseUrl";
    public const string AnonymisationKey = "Anonymisation:Key";
    public const string ScheduleCron = "Schedule:Cron";

    /// <summary>Mondays at 06:00, Paris time: the weekly refresh.</summary>
    public const string DefaultCron = "0 6 * * 1";

    public static IReadOnlyList<string> All { get; } =
        [PipelinesDirectory, WorkDirectory, QuarantineDirectory, BatchSize, Overlap, Threads, Output, Target, AzureConnectionString, AzureAccountUrl, AzureContainer, AzureServiceVersion, Templates, BaseUrl, AnonymisationKey, ScheduleCron];

    private static Uri? ParseBaseUrl(string? text)
    {
        if (text is null)
        {
            return null;
        }

        // Blanks around it (a CI variable or a secret pasted with its line's end) are not part of the
        // address: the '/' added below came after them, and every URL was under …/%0A/.
        text = text.Trim();

        // A base URL must end with '/', or relative paths would replace its last segment.
        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            throw new PipelineException($"{BaseUrl} must be an absolute http(s) URL, not '{text}'.");
        }

        // Every published URL is this one and a path: a query or a fragment ended up inside each
        // (…/?x=1/datasets/…), and a user name or password would be published on every page.
        // The value is not repeated: it may hold a password.
        return url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0
            ? throw new PipelineException($"{BaseUrl} must be a plain http(s) address, without a query ('?'), a fragment ('#') or a user name and password: every published link is built on it.")
            : url;
    }

    /// <summary>Where to publish: the local folder (default) or a blob container.</summary>
    public static IPublishTarget BindTarget(IConfiguration configuration, RunOptions options) =>
        (configuration[Target] ?? "Folder") switch
        {
            "Folder" => new LocalFolderTarget(options.OutputDirectory),
            "AzureBlob" => AzureBlobTarget.Create(new AzureTargetOptions
            {
                ConnectionString = configuration[AzureConnectionString],
                AccountUrl = configuration[AzureAccountUrl],
                Container = configuration[AzureContainer] ?? "$web",
                ServiceVersion = configuration[AzureServiceVersion],
            }),
            var other => throw new PipelineException($"{Target} must be Folder or AzureBlob, not '{other}'."),
        };

    /// <summary>The sections the worker owns: every key in them is one of <see cref="All"/>.</summary>
    private static readonly string[] Sections = ["Pipeline", "Publishing", "Site", "Anonymisation", "Schedule"];

    /// <summary>
    /// Refuses a key of the worker's own sections that it does not read: a misspelt
    /// <c>Publishing__Target</c> in the unattended job's environment would otherwise publish to the
    /// local folder, or a misspelt <c>Site:BaseUrl</c> a catalogue pointing at the example host, and
    /// exit 0. Other sections (Logging, the settings pipeline.yaml names) are left to their readers.
    /// Only keys are named, never values (a misspelt key may hold a secret).
    /// </summary>
    public static void CheckKeys(IConfiguration configuration)
    {
        var unknown = configuration.AsEnumerable()
            .Where(pair => pair.Value is not null)
            .Select(pair => pair.Key)
            .Where(key => Sections.Contains(key.Split(':')[0], StringComparer.OrdinalIgnoreCase) && !All.Contains(key, StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.OrdinalIgnoreCase)
            .Select(key => $"'{key}'" + (YamlShapeCheck.Meant(key, All) is { } meant ? $" (did you mean '{meant}'?)" : ""))
            .ToList();
        if (unknown.Count > 0)
        {
            throw new PipelineException($"unknown configuration key {string.Join(", ", unknown)}, from appsettings.json, the environment (':' written '__') or the command line (--Section:Key=value); "
                + $"the sections {string.Join(", ", Sections)} take {string.Join(", ", All)}.");
        }
    }

    public static RunOptions Bind(IConfiguration configuration, string? pipelineId, string? source)
    {
        CheckKeys(configuration);
        var defaults = new RunOptions();
        var batchText = configuration[BatchSize];
        var batchSize = defaults.BatchSize;
        if (batchText is not null && (!int.TryParse(batchText, out batchSize) || batchSize is < 1 or > 10_000_000))
        {
            throw new PipelineException($"{BatchSize} must be a whole number between 1 and 10000000.");
        }

        var overlapText = configuration[Overlap];
        var overlap = defaults.Overlap;
        if (overlapText is not null && !bool.TryParse(overlapText, out overlap))
        {
            throw new PipelineException($"{Overlap} must be true or false, not '{overlapText}'.");
        }

        var threadsText = configuration[Threads];
        var threads = defaults.Threads;
        if (threadsText is not null && (!int.TryParse(threadsText, out threads) || threads is < 1 or > 64))
        {
            throw new PipelineException($"{Threads} must be a whole number between 1 and 64, not '{threadsText}'.");
        }

        foreach (var (key, fallback) in new[] { (PipelinesDirectory, defaults.PipelinesDirectory), (WorkDirectory, defaults.WorkDirectory), (QuarantineDirectory, defaults.QuarantineDirectory), (Output, defaults.OutputDirectory) })
        {
            if (configuration[key] is { } folder && string.IsNullOrWhiteSpace(folder))
            {
                throw new PipelineException($"{key} is empty: give it a folder, or leave it out for the default ({fallback}).");
            }
        }

        return new RunOptions
        {
            PipelinesDirectory = configuration[PipelinesDirectory] ?? defaults.PipelinesDirectory,
            WorkDirectory = configuration[WorkDirectory] ?? defaults.WorkDirectory,
            QuarantineDirectory = configuration[QuarantineDirectory] ?? defaults.QuarantineDirectory,
            OutputDirectory = configuration[Output] ?? defaults.OutputDirectory,
            TemplatesDirectory = string.IsNullOrEmpty(configuration[Templates]) ? defaults.TemplatesDirectory : configuration[Templates],
            BatchSize = batchSize,
            Overlap = overlap,
            Threads = threads,
            BaseUrl = ParseBaseUrl(configuration[BaseUrl]) ?? defaults.BaseUrl,
            AnonymisationKey = configuration[AnonymisationKey],
            PipelineId = pipelineId,
            SourceOverride = source,
            Settings = key => configuration[key], // keys named by pipeline.yaml (source tokens, connection strings)
        };
    }
}

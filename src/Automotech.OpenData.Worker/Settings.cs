using Automotech.OpenData.Pipelines;
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
    public const string Output = "Publishing:Output";
    public const string Templates = "Site:Templates";
    public const string AnonymisationKey = "Anonymisation:Key";

    public static IReadOnlyList<string> All { get; } =
        [PipelinesDirectory, WorkDirectory, QuarantineDirectory, BatchSize, Output, Templates, AnonymisationKey];

    public static RunOptions Bind(IConfiguration configuration, string? pipelineId, string? source)
    {
        var defaults = new RunOptions();
        var batchText = configuration[BatchSize];
        var batchSize = defaults.BatchSize;
        if (batchText is not null && (!int.TryParse(batchText, out batchSize) || batchSize is < 1 or > 10_000_000))
        {
            throw new PipelineException($"{BatchSize} must be a whole number between 1 and 10000000.");
        }

        return new RunOptions
        {
            PipelinesDirectory = configuration[PipelinesDirectory] ?? defaults.PipelinesDirectory,
            WorkDirectory = configuration[WorkDirectory] ?? defaults.WorkDirectory,
            QuarantineDirectory = configuration[QuarantineDirectory] ?? defaults.QuarantineDirectory,
            OutputDirectory = configuration[Output] ?? defaults.OutputDirectory,
            TemplatesDirectory = configuration[Templates] ?? defaults.TemplatesDirectory,
            BatchSize = batchSize,
            AnonymisationKey = configuration[AnonymisationKey],
            PipelineId = pipelineId,
            SourceOverride = source,
        };
    }
}

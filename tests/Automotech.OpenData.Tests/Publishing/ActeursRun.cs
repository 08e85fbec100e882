using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Publishing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Automotech.OpenData.Tests.Publishing;

/// <summary>The publishing tests' run: the shipped acteurs pipeline on a given source, in a temporary folder, with a test key.</summary>
internal static class ActeursRun
{
    public static RunOptions Options(TempFolder temp, string source, string output = "site") => new()
    {
        PipelinesDirectory = Repo.Pipelines,
        PipelineId = "acteurs",
        SourceOverride = source,
        WorkDirectory = temp.Combine("work"),
        QuarantineDirectory = temp.Combine("quarantine"),
        OutputDirectory = temp.Combine(output),
        TemplatesDirectory = Repo.Templates,
        AnonymisationKey = new string('k', 40),
    };

    /// <summary>One publish of <paramref name="options"/> to <paramref name="target"/> at <paramref name="clock"/>'s time.</summary>
    public static Task<PublishReport> PublishAsync(RunOptions options, IPublishTarget target, TimeProvider clock) =>
        new PipelineRunner(options, target, clock, NullLogger.Instance).PublishAsync(CancellationToken.None);
}

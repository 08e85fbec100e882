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

    /// <summary>
    /// A copy of <paramref name="source"/> (a CRLF file ending with a line break) without its last
    /// <paramref name="rows"/> rows, written as <paramref name="name"/>: another run's data.
    /// </summary>
    public static string WithoutLastRows(TempFolder temp, string source, string name, int rows) =>
        temp.File(name, string.Join("\r\n", File.ReadAllText(source).Split("\r\n")[..^(rows + 1)]) + "\r\n");

    /// <summary>One publish of <paramref name="options"/> to <paramref name="target"/> at <paramref name="clock"/>'s time.</summary>
    public static Task<PublishReport> PublishAsync(RunOptions options, IPublishTarget target, TimeProvider clock) =>
        new PipelineRunner(options, target, clock, NullLogger.Instance).PublishAsync(CancellationToken.None);
}

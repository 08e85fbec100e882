using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Validation;
using Microsoft.Extensions.Logging.Abstractions;

namespace Automotech.OpenData.Tests.Sources;

/// <summary>What reading and validating one file of TestData/corpus with the real acteurs pipeline gave.</summary>
internal sealed record CorpusResult(IReadOnlyList<RowError> Errors, IReadOnlyList<RowError> Warnings, long RowsRead, long RowsKept, string? FatalError);

/// <summary>Runs the acteurs pipeline's stages (validate only, nothing written) on a corpus file.</summary>
internal static class Corpus
{
    /// <summary>The run date the corpus is checked at (for "not in the future").</summary>
    public static readonly DateTimeOffset RunTime = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static string PathOf(string fileName) => Path.Combine(AppContext.BaseDirectory, "TestData", "corpus", fileName);

    /// <param name="editYaml">Changes the acteurs pipeline.yaml for this run (e.g. declare the encoding).</param>
    public static async Task<CorpusResult> ValidateAsync(string fileName, Func<string, string>? editYaml = null)
    {
        using var folder = new TempFolder();
        var source = Path.Combine(Repo.Pipelines, "acteurs");
        folder.File("acteurs/schema.json", File.ReadAllText(Path.Combine(source, "schema.json")));
        var yaml = File.ReadAllText(Path.Combine(source, "pipeline.yaml"));
        folder.File("acteurs/pipeline.yaml", editYaml?.Invoke(yaml) ?? yaml);
        var pipeline = PipelineLoader.Load(folder.Combine("acteurs"));
        var options = new RunOptions { SourceOverride = PathOf(fileName), AnonymisationKey = new string('k', 40), BatchSize = 3 };
        var sink = new RejectList();
        try
        {
            var build = (await new DatasetBuilder(options, NullLogger.Instance).ValidateAsync(pipeline, RunTime, [], CancellationToken.None, sink))[0];
            return new CorpusResult([.. sink.Errors], sink.Warnings, build.Validation.RowsRead, build.Validation.RowsPublished, null);
        }
        catch (DatasetRejectedException e)
        {
            // Over the threshold is expected for small files with a bad row: the errors are what matter.
            return new CorpusResult([.. sink.Errors], sink.Warnings, e.Build.Validation.RowsRead, e.Build.Validation.RowsPublished, null);
        }
        catch (PipelineException e)
        {
            return new CorpusResult([.. sink.Errors], sink.Warnings, 0, 0, e.Message);
        }
    }
}

using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Sources;

/// <summary>Builds the reader a pipeline's <c>source.kind</c> declares.</summary>
public static class SourceFactory
{
    /// <summary>The kinds pipeline.yaml may declare.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["csv", "derived"];

    public static IRecordSource Create(PipelineDefinition pipeline, RunOptions options)
    {
        var source = pipeline.Source;
        if (options.SourceOverride is { } file)
        {
            // --source always names a local delimited file, whatever the pipeline declares.
            return Csv(Path.GetFullPath(file), source, options);
        }

        return source.Kind switch
        {
            "csv" => Csv(Path.GetFullPath(Path.Combine(pipeline.Directory, source.Path)), source, options),
            "derived" => throw new PipelineException($"{pipeline.Id}: a derived dataset is built with its parent pipeline '{source.From}', not read on its own."),
            _ => throw new PipelineException($"{pipeline.Id}: unknown source.kind '{source.Kind}' (known: {string.Join(", ", Kinds)})."),
        };
    }

    private static CsvSource Csv(string path, SourceDefinition source, RunOptions options)
    {
        if (!File.Exists(path))
        {
            throw new PipelineException($"{path}: source file not found.");
        }

        return new CsvSource(path, source.Schema, source.Encoding, source.Delimiter, options.BatchSize, source.Limits);
    }
}

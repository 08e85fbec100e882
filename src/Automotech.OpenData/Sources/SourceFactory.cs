using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Sources;

/// <summary>Builds the reader a pipeline's <c>source.kind</c> declares.</summary>
public static class SourceFactory
{
    /// <summary>The kinds pipeline.yaml may declare.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["csv", "sirene"];

    public static IRecordSource Create(PipelineDefinition pipeline, RunOptions options)
    {
        var source = pipeline.Source;
        if (options.SourceOverride is { } file)
        {
            // --source always names a local file: a Sirene stock for kind sirene, else a delimited file.
            return source.Kind == "sirene" ? Sirene(Path.GetFullPath(file), source, options) : Csv(Path.GetFullPath(file), source, options);
        }

        return source.Kind switch
        {
            "csv" => Csv(Path.GetFullPath(Path.Combine(pipeline.Directory, source.Path)), source, options),
            "sirene" => Sirene(Path.GetFullPath(Path.Combine(pipeline.Directory, source.Path)), source, options),
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

    private static SireneSource Sirene(string path, SourceDefinition source, RunOptions options) =>
        File.Exists(path)
            ? new SireneSource(path, source.Schema, source.Filter, options.BatchSize, source.Limits)
            : throw new PipelineException($"{path}: Sirene file not found.");
}

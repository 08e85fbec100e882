using Automotech.OpenData.Pipelines;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Automotech.OpenData.Sources;

/// <summary>Builds the reader a pipeline's <c>source.kind</c> declares.</summary>
public static class SourceFactory
{
    /// <summary>The kinds pipeline.yaml may declare.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["csv", "xlsx", "http-json", "azure-blob", "sirene", "derived"];

    /// <param name="logger">Receives the sources' retries and the like; never a secret.</param>
    public static IRecordSource Create(PipelineDefinition pipeline, RunOptions options, ILogger? logger = null)
    {
        var source = pipeline.Source;
        if (options.SourceOverride is { } file)
        {
            // --source always names a local file, whatever the pipeline declares: a Sirene stock for kind sirene,
            // a workbook if it ends with .xlsx, else delimited text.
            var full = Path.GetFullPath(file);
            return source.Kind == "sirene" ? Sirene(full, source, options)
                : full.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) ? Xlsx(full, source, options)
                : Csv(full, source, options);
        }

        return source.Kind switch
        {
            "csv" => Csv(Path.GetFullPath(Path.Combine(pipeline.Directory, source.Path)), source, options),
            "derived" => throw new PipelineException($"{pipeline.Id}: a derived dataset is built with its parent pipeline '{source.From}', not read on its own."),
            "xlsx" => Xlsx(Path.GetFullPath(Path.Combine(pipeline.Directory, source.Path)), source, options),
            "http-json" => new HttpJsonSource(source, options.Settings, options.BatchSize, logger ?? NullLogger.Instance),
            "azure-blob" => BlobSource.Create(source, options),
            "sirene" => Sirene(Path.GetFullPath(Path.Combine(pipeline.Directory, source.Path)), source, options),
            _ => throw new PipelineException($"{pipeline.Id}: unknown source.kind '{source.Kind}' (known: {string.Join(", ", Kinds)})."),
        };
    }

    /// <summary>The local files a pipeline reads (its source, its Sirene join), as full paths; none for remote or derived sources.</summary>
    public static IEnumerable<string> LocalFiles(PipelineDefinition pipeline, RunOptions options)
    {
        var source = pipeline.Source;
        if (options.SourceOverride is { } file)
        {
            yield return Path.GetFullPath(file);
        }
        else if (source.Kind is "csv" or "xlsx" or "sirene" && !string.IsNullOrEmpty(source.Path))
        {
            yield return Path.GetFullPath(Path.Combine(pipeline.Directory, source.Path));
        }

        if (pipeline.Enrich?.Sirene is { Path: { Length: > 0 } sirene })
        {
            yield return Path.GetFullPath(Path.Combine(pipeline.Directory, sirene));
        }
    }

    private static XlsxSource Xlsx(string path, SourceDefinition source, RunOptions options) =>
        XlsxSource.FromFile(path, source.Schema, source.Sheet, source.HeaderRows, options.BatchSize, source.Limits, source.HeaderRow);

    private static CsvSource Csv(string path, SourceDefinition source, RunOptions options)
    {
        SourceFile.RequireRegular(path, "source file");
        if (!File.Exists(path))
        {
            throw new PipelineException($"{path}: source file not found.");
        }

        return new CsvSource(path, source.Schema, source.Encoding, source.Delimiter, options.BatchSize, source.Limits);
    }

    private static SireneSource Sirene(string path, SourceDefinition source, RunOptions options)
    {
        SourceFile.RequireRegular(path, "Sirene file");
        return File.Exists(path)
            ? new SireneSource(path, source.Schema, source.Filter, options.BatchSize, source.Limits)
            : throw new PipelineException($"{path}: Sirene file not found.");
    }
}

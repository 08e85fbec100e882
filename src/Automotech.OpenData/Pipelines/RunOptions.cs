namespace Automotech.OpenData.Pipelines;

/// <summary>
/// What one run does and where. Bound from configuration (appsettings.json, environment,
/// command line); see the README for every key.
/// </summary>
public sealed record RunOptions
{
    /// <summary>Pipeline:Directory — the dataset definitions.</summary>
    public string PipelinesDirectory { get; init; } = "pipelines";

    /// <summary>--pipeline — one dataset only; all when null.</summary>
    public string? PipelineId { get; init; }

    /// <summary>--source — replaces the selected pipeline's source file.</summary>
    public string? SourceOverride { get; init; }

    /// <summary>Publishing:Output (--output) — the published folder.</summary>
    public string OutputDirectory { get; init; } = "out/site";

    /// <summary>Pipeline:WorkDirectory — staging and intermediate files, never published.</summary>
    public string WorkDirectory { get; init; } = "out/work";

    /// <summary>Pipeline:QuarantineDirectory — rejected rows and reports, private.</summary>
    public string QuarantineDirectory { get; init; } = "out/quarantine";

    /// <summary>Site:Templates — a folder of templates and assets overriding the built-in ones; null for the built-in set.</summary>
    public string? TemplatesDirectory { get; init; }

    /// <summary>Site:BaseUrl — where the site is served, for permalinks, the DCAT catalogue, the feed and the sitemap.</summary>
    public Uri BaseUrl { get; init; } = new("https://opendata.automotech.example/");

    /// <summary>Pipeline:BatchSize — rows per batch (and per Parquet row group).</summary>
    public int BatchSize { get; init; } = 10_000;

    /// <summary>
    /// Pipeline:Overlap — also parse the source one batch ahead on another thread (each batch is
    /// always written while the next one is prepared). Same output; one more source batch alive
    /// (under the Worker's 200 MiB heap cap the GC works harder). It brought no time gain that
    /// held on two cores, measured before the write-behind became the default and since, in
    /// alternating pairs (docs/benchmarks.md, "Pipeline:Overlap once more"). Off by default.
    /// </summary>
    public bool Overlap { get; init; }

    /// <summary>
    /// Pipeline:Threads — threads that check each batch's cells and compute its published rows
    /// (a share of its rows each), and that encode a Parquet row group's columns; duplicates,
    /// uniqueness and every report stay in row order, and the Parquet columns are written in
    /// order, so the output is the same for any number. Default: the processor count, at most 4.
    /// </summary>
    public int Threads { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>
    /// Digests each uniqueness check of the validators holds in memory before it spills to the
    /// work folder. Not configuration: tests lower it to make a small source spill.
    /// </summary>
    internal int KeyMemoryCapacity { get; init; } = 1 << 17;

    /// <summary>Anonymisation:Key — the pseudonymisation secret. Never logged.</summary>
    public string? AnonymisationKey { get; init; }

    /// <summary>
    /// Reads a configuration key by name (a source's token or connection string, named in
    /// pipeline.yaml); null when unset. The values are secrets: never logged nor shown.
    /// </summary>
    public Func<string, string?> Settings { get; init; } = _ => null;
}

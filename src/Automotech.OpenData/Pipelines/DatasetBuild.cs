using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Pipelines;

/// <summary>The outcome of running one pipeline's stages: its files (unpublished) and counts.</summary>
public sealed record DatasetBuild(
    PipelineDefinition Pipeline,
    string Version,
    string Directory,
    IReadOnlyList<string> FileNames,
    string Fingerprint,
    ValidationSummary Validation,
    PrivacySummary Privacy,
    StageTimings Timings)
{
    /// <summary>sha256 of each file, by name, hashed once when the build ends (empty when nothing was written).</summary>
    public IReadOnlyDictionary<string, string> FileHashes { get; init; } = new Dictionary<string, string>();

    /// <summary>The first rejected rows met (line, field, reason; never a value), for the console report.</summary>
    public IReadOnlyList<Validation.RowError> FirstErrors { get; init; } = [];
}

/// <summary>Wall time spent per stage, for the run log.</summary>
public sealed class StageTimings
{
    public TimeSpan Read { get; set; }

    public TimeSpan Validate { get; set; }

    public TimeSpan Anonymise { get; set; }

    public TimeSpan Write { get; set; }
}

using Automotech.OpenData.Validation;
using Microsoft.Extensions.Logging;

namespace Automotech.OpenData.Pipelines;

/// <summary>
/// Runs one pipeline's stages, streaming: Source → Validate (source schema) → Anonymise →
/// Validate (published schema) → Write. Memory holds one batch whatever the input's size.
/// Fails, writing no release, when the rejected share exceeds the pipeline's threshold.
/// </summary>
/// <remarks>
/// Two modes, each its own entry point, so that no argument's value can switch from one to the
/// other: <see cref="BuildAllAsync"/> publishes (writes the files into a build folder, the rejected
/// rows into the quarantine, hashes the files, and needs <c>Anonymisation:Key</c> unless the source
/// is the bundled demo); <see cref="ValidateAsync"/> publishes nothing (no file, no quarantine, no
/// hash: only the private scratch of the work folder) and, without a key, checks the pseudonyms
/// with a random one-off key.
/// </remarks>
public sealed partial class DatasetBuilder(RunOptions options, ILogger logger, IRunProgress? progress = null)
{
    /// <summary>The version the builds of <see cref="ValidateAsync"/> carry: they are never released.</summary>
    private const string ValidationVersion = "validate";

    private enum BuildMode
    {
        Publish,
        ValidateOnly,
    }

    /// <summary>Builds one pipeline, with no derived dataset, for publishing: see <see cref="BuildAllAsync"/>.</summary>
    public async Task<DatasetBuild> BuildAsync(PipelineDefinition pipeline, string version, DateTimeOffset published, string outputDirectory, CancellationToken cancellationToken, IRejectedRowSink? observer = null) =>
        (await BuildAllAsync(pipeline, version, published, outputDirectory, [], cancellationToken, observer))[0];

    /// <summary>
    /// Builds <paramref name="pipeline"/> and the datasets derived from its records (aggregates),
    /// in one read of the source, for publishing: the files are written into
    /// <paramref name="outputDirectory"/> (and each derived dataset's into its own), hashed, and the
    /// rejected rows go to the quarantine. The first build is the pipeline's, then one per derived
    /// target.
    /// </summary>
    /// <param name="outputDirectory">Where to write the files: required (to publish nothing, call <see cref="ValidateAsync"/>).</param>
    /// <param name="observer">Also receives every rejected row and warning (tests, reports).</param>
    /// <exception cref="ArgumentException">A directory, this one or a derived target's, is null, empty or blank.</exception>
    public Task<IReadOnlyList<DatasetBuild>> BuildAllAsync(PipelineDefinition pipeline, string version, DateTimeOffset published, string outputDirectory, IReadOnlyList<DerivedTarget> derived, CancellationToken cancellationToken, IRejectedRowSink? observer = null)
    {
        // Refused before anything is read or created: a directory missing by mistake (an unset
        // configuration value) must stop the run, not turn it into a validation with a random key.
        RequireDirectory(outputDirectory, pipeline.Id, nameof(outputDirectory));
        foreach (var target in derived)
        {
            RequireDirectory(target.Directory, target.Pipeline.Id, nameof(derived));
        }

        return RunAsync(BuildMode.Publish, pipeline, version, published, outputDirectory, derived, observer, cancellationToken);
    }

    /// <summary>
    /// Runs the stages of <paramref name="pipeline"/> and of the datasets derived from its records
    /// (the <c>validate</c> command) and publishes nothing: no file is written, no quarantine, nothing
    /// hashed; only the private scratch of the work folder (key spills, held rows).
    /// Without <c>Anonymisation:Key</c>, a random one-off key checks the pseudonyms (their format, their
    /// uniqueness), so that a source can be checked by someone who does not hold the secret.
    /// </summary>
    /// <param name="runTime">The run's time: a date after its day (Paris) is in the future.</param>
    /// <param name="observer">Also receives every rejected row and warning (tests, reports).</param>
    public Task<IReadOnlyList<DatasetBuild>> ValidateAsync(PipelineDefinition pipeline, DateTimeOffset runTime, IReadOnlyList<PipelineDefinition> derived, CancellationToken cancellationToken, IRejectedRowSink? observer = null) =>
        RunAsync(BuildMode.ValidateOnly, pipeline, ValidationVersion, runTime, outputDirectory: "", [.. derived.Select(d => new DerivedTarget(d, ValidationVersion, Directory: ""))], observer, cancellationToken);

    private static void RequireDirectory(string directory, string pipelineId, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            throw new ArgumentException($"{pipelineId}: publishing needs an output directory, and none was given; to check a source without publishing, call ValidateAsync.", parameterName);
        }
    }
}

/// <summary>A dataset derived from the pipeline being built and published with it, with its own version and folder.</summary>
public sealed record DerivedTarget(PipelineDefinition Pipeline, string Version, string Directory);

using Automotech.OpenData.Pipelines;
using Microsoft.Extensions.Logging.Abstractions;

namespace Automotech.OpenData.Tests.Pipelines;

/// <summary>
/// The builder's two modes, each its own entry point: publishing (files, quarantine, the real key)
/// and validating only (nothing published, a one-off key when none is configured). No value of an
/// argument may turn one into the other.
/// </summary>
public sealed class DatasetBuilderTests
{
    private static readonly DateTimeOffset RunTime = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static PipelineDefinition Acteurs => PipelineLoader.Load(Path.Combine(Repo.Pipelines, "acteurs"));

    private static PipelineDefinition ChiffresCles => PipelineLoader.Load(Path.Combine(Repo.Pipelines, "chiffres-cles"));

    /// <summary>A copy of the demo source: no longer the bundled demo, so it may not use the public demo key.</summary>
    private static RunOptions WithoutKey(TempFolder temp)
    {
        var copy = temp.Combine("in", "copy.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(Repo.DemoSource, copy);
        return new RunOptions { SourceOverride = copy, QuarantineDirectory = temp.Combine("q"), WorkDirectory = temp.Combine("work"), BatchSize = 50 };
    }

    // null: a configuration value left unset (it used to mean "validate only", with a random key
    // when none was configured); "" and blanks: one set to nothing (they used to be taken for a
    // folder, and the run went on until something else failed).
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Publishing_without_an_output_directory_is_refused_before_anything_is_read_or_written(string? directory)
    {
        using var temp = new TempFolder();
        var builder = new DatasetBuilder(WithoutKey(temp), NullLogger.Instance);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => builder.BuildAsync(Acteurs, "2026-11-25", RunTime, directory!, CancellationToken.None));

        Assert.Equal("outputDirectory", e.ParamName);
        Assert.Contains("acteurs: publishing needs an output directory", e.Message, StringComparison.Ordinal);
        Assert.Contains("ValidateAsync", e.Message, StringComparison.Ordinal);
        Assert.Equal(["in"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Publishing_a_derived_dataset_without_its_directory_is_refused_before_the_parent_is_built()
    {
        using var temp = new TempFolder();
        var options = new RunOptions { AnonymisationKey = new string('k', 40), QuarantineDirectory = temp.Combine("q"), WorkDirectory = temp.Combine("work") };
        var builder = new DatasetBuilder(options, NullLogger.Instance);
        var output = temp.Combine("build", "acteurs");

        var e = await Assert.ThrowsAsync<ArgumentException>(() => builder.BuildAllAsync(Acteurs, "2026-11-25", RunTime, output, [new DerivedTarget(ChiffresCles, "2026-11-25", null!)], CancellationToken.None));

        Assert.Contains("chiffres-cles: publishing needs an output directory", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task Validating_writes_no_dataset_file_no_quarantine_and_hashes_nothing()
    {
        using var temp = new TempFolder();
        var options = new RunOptions { AnonymisationKey = new string('k', 40), QuarantineDirectory = temp.Combine("q"), WorkDirectory = temp.Combine("work"), BatchSize = 50 };

        var builds = await new DatasetBuilder(options, NullLogger.Instance).ValidateAsync(Acteurs, RunTime, [ChiffresCles], CancellationToken.None);

        Assert.Equal(["acteurs", "chiffres-cles"], builds.Select(b => b.Pipeline.Id));
        // The demo has rejected rows: publishing would have quarantined them.
        Assert.Equal(5, builds[0].Validation.RowsRejected);
        Assert.All(builds, b =>
        {
            Assert.Empty(b.FileNames);
            Assert.Empty(b.FileHashes);
            Assert.Equal("", b.Fingerprint);
            Assert.Equal("", b.Directory);
        });
        Assert.False(Directory.Exists(options.QuarantineDirectory), "validate writes no quarantine");
        // Only the private scratch of the work folder may be written.
        Assert.All(Directory.EnumerateFileSystemEntries(temp.Path), entry => Assert.Equal(options.WorkDirectory, entry));
    }

    [Fact]
    public async Task Validating_without_a_key_runs_with_a_one_off_key_where_publishing_is_refused()
    {
        using var temp = new TempFolder();
        var options = WithoutKey(temp);
        var builder = new DatasetBuilder(options, NullLogger.Instance);

        var validated = await builder.ValidateAsync(Acteurs, RunTime, [], CancellationToken.None);
        Assert.Equal(250, validated[0].Validation.RowsRead);
        Assert.False(validated[0].Privacy.DemoKey, "a copy of the demo is not the demo: not its public key");

        var output = temp.Combine("build", "acteurs");
        var e = await Assert.ThrowsAsync<PipelineException>(() => builder.BuildAsync(Acteurs, "2026-11-25", RunTime, output, CancellationToken.None));
        Assert.Contains("acteurs: Anonymisation:Key is not configured", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
        Assert.False(Directory.Exists(options.QuarantineDirectory));
    }

    [Fact]
    public async Task A_writer_that_cannot_be_created_closes_the_ones_already_open_and_its_own_error_is_the_one_thrown()
    {
        using var temp = new TempFolder();
        var options = new RunOptions { AnonymisationKey = new string('k', 40), QuarantineDirectory = temp.Combine("q"), WorkDirectory = temp.Combine("work"), BatchSize = 50 };
        var output = temp.Combine("build", "acteurs");
        // The CSV writer is created first, then the Parquet file cannot be: a folder has its name.
        Directory.CreateDirectory(Path.Combine(output, "acteurs.parquet"));

        var e = await Assert.ThrowsAnyAsync<Exception>(() => new DatasetBuilder(options, NullLogger.Instance).BuildAsync(Acteurs, "2026-11-25", RunTime, output, CancellationToken.None));

        Assert.True(e is IOException or UnauthorizedAccessException, e.ToString());
        Assert.Contains("acteurs.parquet", e.Message, StringComparison.Ordinal);
        // The CSV file was created, and nothing holds it open any more (a file that is still
        // open, as the leaked writer's was, cannot be opened exclusively; on Windows it cannot
        // even be deleted).
        var csv = Path.Combine(output, "acteurs.csv");
        Assert.True(File.Exists(csv));
        using (new FileStream(csv, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
        }

        File.Delete(csv);
    }
}

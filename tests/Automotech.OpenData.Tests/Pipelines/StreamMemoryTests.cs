using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Tests.EndToEnd;
using Automotech.OpenData.Tests.Sirene;

namespace Automotech.OpenData.Tests.Pipelines;

/// <summary>
/// Once the stream has ended, the memory its spilled key sets held goes back at once, before the
/// k-anonymity release, the writers' end and the site allocate more (docs/benchmarks.md, "The end
/// of the stream"). Alone: the committed heap it reads is the process's.
/// </summary>
[Collection(nameof(PeakMemoryAlone))]
public sealed class StreamMemoryTests
{
    private static readonly DateTimeOffset RunTime = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static PipelineDefinition Acteurs => PipelineLoader.Load(Path.Combine(Repo.Pipelines, "acteurs"));

    private static async Task<string> ValidateDemoAsync(TempFolder temp, int? keyMemoryCapacity)
    {
        var options = new RunOptions { AnonymisationKey = new string('k', 40), QuarantineDirectory = temp.Combine("q"), WorkDirectory = temp.Combine("work"), BatchSize = 50 };
        if (keyMemoryCapacity is { } capacity)
        {
            options = options with { KeyMemoryCapacity = capacity };
        }

        using var logs = new CapturedLogs();
        var builds = await new DatasetBuilder(options, logs.CreateLogger("Automotech.OpenData")).ValidateAsync(Acteurs, RunTime, [], CancellationToken.None);
        Assert.Equal(250, builds[0].Validation.RowsRead);
        return logs.Text;
    }

    [Fact]
    public async Task Spilled_key_sets_are_given_back_once_the_stream_ends()
    {
        using var temp = new TempFolder();

        // 250 rows and 100 keys in memory: the source's and the published schema's key sets spill,
        // each allocating its 16 MB Bloom filter.
        var log = await ValidateDemoAsync(temp, keyMemoryCapacity: 100);

        var line = log.Split('\n').Single(l => l.Contains("the stream's spilled key sets released", StringComparison.Ordinal));
        Assert.StartsWith("Debug: ", line, StringComparison.Ordinal);
        var figures = System.Text.RegularExpressions.Regex.Match(line, @"committed (\d+) MiB at the last collection, (\d+) MiB after");
        Assert.True(figures.Success, line);
        var (before, after) = (long.Parse(figures.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), long.Parse(figures.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(after < before, $"the collection gave nothing back: {line}");
    }

    [Fact]
    public async Task A_stream_whose_keys_fit_in_memory_forces_no_collection()
    {
        using var temp = new TempFolder();

        var log = await ValidateDemoAsync(temp, keyMemoryCapacity: null);

        Assert.DoesNotContain("spilled key sets released", log, StringComparison.Ordinal);
    }
}

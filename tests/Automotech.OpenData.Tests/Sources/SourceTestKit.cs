using System.Globalization;
using Automotech.OpenData.Validation;
using CsvHelper;

namespace Automotech.OpenData.Tests.Sources;

/// <summary>What the source tests share: the demo data as rows, pipelines of other kinds, reading a source whole.</summary>
internal static class SourceTestKit
{
    /// <summary>The demo CSV's header and rows, as text.</summary>
    public static (IReadOnlyList<string> Header, List<string[]> Rows) DemoRows()
    {
        using var stream = File.OpenRead(Repo.DemoSource);
        using var reader = CsvReader.Create(stream, CsvReaderOptions.Default, leaveOpen: true);
        reader.ReadHeader();
        var header = reader.Headers.ToList();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        }

        return (header, rows);
    }

    /// <summary>
    /// Page <paramref name="page"/> (from 1) of the demo rows as an API gives them: 100 records, each
    /// a JSON object keyed by the CSV's header, empty cells as null.
    /// </summary>
    public static IEnumerable<Dictionary<string, string?>> DemoRecords(IReadOnlyList<string> header, List<string[]> rows, int page) =>
        rows.Skip((page - 1) * 100).Take(100)
            .Select(values => header.Select((h, i) => (h, v: values[i])).ToDictionary(c => c.h, c => c.v.Length == 0 ? null : c.v));

    /// <summary>A copy of the bundled acteurs pipeline whose source is <paramref name="sourceYaml"/> (the lines after "source:" up to "demo:").</summary>
    public static string ActeursWithSource(TempFolder temp, string sourceYaml)
    {
        var folder = Path.Combine(Repo.Pipelines, "acteurs");
        var yaml = File.ReadAllText(Path.Combine(folder, "pipeline.yaml"));
        var start = yaml.IndexOf("\nsource:\n", StringComparison.Ordinal) + "\nsource:\n".Length;
        var end = yaml.IndexOf("  demo: true", start, StringComparison.Ordinal);
        temp.File("pipelines/acteurs/pipeline.yaml", yaml[..start] + sourceYaml.TrimEnd('\n') + "\n" + yaml[end..]);
        temp.File("pipelines/acteurs/schema.json", File.ReadAllText(Path.Combine(folder, "schema.json")));
        return temp.Combine("pipelines");
    }

    /// <summary>The published acteurs.csv of the demo, built from the CSV sample: what every other kind must reproduce.</summary>
    public static async Task<byte[]> PublishedFromCsvAsync()
    {
        using var site = new EndToEnd.DemoSite();
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", $"--Anonymisation:Key={new string('k', 40)}"));
        return File.ReadAllBytes(site.Path("datasets", "acteurs", "latest", "acteurs.csv"));
    }

    public static async Task<(List<(long Line, string?[] Values)> Rows, RejectList Sink)> ReadAllAsync(Automotech.OpenData.Sources.IRecordSource source)
    {
        var sink = new RejectList();
        var rows = new List<(long, string?[])>();
        await foreach (var batch in source.ReadAsync(sink, CancellationToken.None))
        {
            for (var r = 0; r < batch.Count; r++)
            {
                rows.Add((batch.LineNumber(r), Enumerable.Range(0, batch.FieldNames.Count).Select(f => batch.Get(r, f)).ToArray()));
            }
        }

        return (rows, sink);
    }

    public static void AssertRow(string?[] actual, params string?[] expected) => Assert.Equal(expected.AsEnumerable(), actual.AsEnumerable());

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using System.Text;
using Automotech.OpenData.DemoData;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Sources;
using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Tests.Validation;

/// <summary>
/// Text that no rule reads is held as the UTF-8 bytes the reader parsed, and checked and hashed
/// as bytes (<see cref="PipelineDefinition.TextOnlySourceFields"/>). That must change the speed
/// only: what is kept, rejected, warned about and quarantined is what strings give.
/// </summary>
public class Utf8CellsTests
{
    private static readonly string[] Kept = ["é1", "replaced"];

    [Fact]
    public void The_demo_pipeline_holds_its_dropped_unchecked_text_as_bytes()
    {
        var pipeline = PipelineLoader.Load(Path.Combine(Repo.Pipelines, "acteurs"));

        // Not code_postal (a pattern and a row check), categorie_juridique and statut_diffusion
        // (natural persons' conditions), nor anything published.
        Assert.Equal(
            ["adresse", "commune", "contact_civilite", "contact_email", "contact_fonction", "contact_nom", "contact_prenom", "contact_telephone", "id_crm"],
            pipeline.TextOnlySourceFields().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Bytes_and_strings_give_the_same_rows_reasons_warnings_and_quarantine()
    {
        using var temp = new TempFolder();
        var (pipeline, path) = await DemoActors.WriteAsync(temp, 3_000, seed: 11);

        await File.AppendAllTextAsync(path, string.Concat(Troubles(await FirstRows(pipeline, path, 3)).Select(r => Line(r) + "\n")));

        var asStrings = await ReadAndValidate(pipeline, path, new HashSet<string>());
        var asBytes = await ReadAndValidate(pipeline, path, pipeline.TextOnlySourceFields());

        Assert.False(asStrings.HeldBytes);
        Assert.True(asBytes.HeldBytes); // the case runs the byte path
        foreach (var expected in new[]
        {
            "R 3002 id_crm constraint-error required", // required text, empty
            "R 3003 adresse constraint-error maxLength", // 5,001 characters in 10,002 bytes
            "R 3004 siret primary-key", // 5,000 characters in 10,000 bytes: within the limit
            "R 3005  duplicate-row", // the same cells as line 2
            "R 3006 siret primary-key", // line 2 but its address: not a duplicate row
            "R 3007  blank-row", // white space only, U+00A0 and U+2003 among it
            "R 3008 id_crm constraint-error required", // a zero-width space is not white space: not blank
            "W 3009 contact_email format-error email",
            "W 3009 contact_telephone format-error phone_fr",
        })
        {
            Assert.Contains(asStrings.Events, e => e.StartsWith(expected, StringComparison.Ordinal));
        }

        Assert.Contains(asStrings.Events, e => e.Contains("12 rue \"du Port\"", StringComparison.Ordinal)); // unescaped in the quarantine

        Assert.Equal(asStrings.Events, asBytes.Events);
        Assert.Equal(asStrings.Rows, asBytes.Rows);
    }

    [Fact]
    public void A_batch_gives_bytes_back_and_makes_a_string_only_when_asked()
    {
        var batch = new ColumnBatch(["a", "b"], 4);
        for (var i = 0; i < 4; i++)
        {
            var row = batch.AddRow(i + 2);
            batch.SetUtf8(row, 0, Encoding.UTF8.GetBytes($"é{i}"));
            batch.Set(row, 1, $"s{i}");
        }

        Assert.True(batch.TryGetUtf8(1, 0, out var bytes));
        Assert.Equal("é1", Encoding.UTF8.GetString(bytes));
        Assert.False(batch.TryGetUtf8(1, 1, out _)); // a string cell
        Assert.Equal("é2", batch.Get(2, 0));

        batch.Set(3, 0, "replaced");
        Assert.False(batch.TryGetUtf8(3, 0, out _));
        Assert.Equal("replaced", batch.Get(3, 0));

        batch.RemoveRows([true, false, true, false]);
        Assert.Equal(2, batch.Count);
        Assert.Equal(Kept, new[] { batch.Get(0, 0), batch.Get(1, 0) });
        Assert.True(batch.TryGetUtf8(0, 0, out bytes));
        Assert.Equal("é1", Encoding.UTF8.GetString(bytes));
        Assert.Equal([3L, 5L], [batch.LineNumber(0), batch.LineNumber(1)]);

        var copy = new ColumnBatch(["a", "b"], 4);
        copy.CopyFrom(batch);
        Assert.Equal(Kept, copy.Column(0)[..2]);
        Assert.True(copy.TryGetUtf8(0, 0, out _));

        batch.Clear();
        var again = batch.AddRow(9);
        Assert.False(batch.TryGetUtf8(again, 0, out _)); // nothing left from before the clear
        Assert.Null(batch.Get(again, 0));
        Assert.Equal("é1", copy.Get(0, 0)); // the copy holds its own bytes
    }

    [Fact]
    public void Blank_bytes_are_what_a_trimmed_string_calls_blank_for_every_character()
    {
        for (var c = 0; c <= 0xFFFF; c++)
        {
            if (char.IsSurrogate((char)c))
            {
                continue;
            }

            var text = new string((char)c, 2);
            Assert.True(text.Trim().Length == 0 == Utf8Text.IsBlank(Encoding.UTF8.GetBytes(text)), $"U+{c:X4}");
            Assert.False(Utf8Text.IsBlank(Encoding.UTF8.GetBytes(text + "x")), $"U+{c:X4} then x");
        }

        Assert.True(Utf8Text.IsBlank([]));
        Assert.False(Utf8Text.IsBlank(Encoding.UTF8.GetBytes("\U0001F600")));
        Assert.False(Utf8Text.IsBlank([0xC3])); // a truncated sequence is not blank
    }

    private static async Task<(List<string> Events, List<string> Rows, bool HeldBytes)> ReadAndValidate(PipelineDefinition pipeline, string path, IReadOnlySet<string> textOnly)
    {
        var schema = pipeline.Source.Schema;
        var events = new EventLog();
        var rows = new List<string>();
        var heldBytes = false;
        var source = new CsvSource(path, schema, "auto", "auto", 1_000, pipeline.Source.Limits) { TextOnlyFields = textOnly };
        using var validator = new RecordValidator(schema, schema.FieldNames, new ValidatorOptions
        {
            Today = new DateOnly(2026, 11, 25),
            RowChecks = pipeline.Validation.RowChecks,
            CheckRows = true,
            MaxFieldChars = pipeline.Source.Limits.MaxFieldChars,
            Threads = 2,
            Utf8Fields = textOnly,
        });
        await foreach (var batch in source.ReadAsync(events, CancellationToken.None))
        {
            heldBytes |= batch.TryGetUtf8(0, batch.IndexOf("adresse"), out _);
            validator.Validate(batch, events);
            rows.AddRange(Enumerable.Range(0, batch.Count).Select(r =>
                $"{batch.LineNumber(r)}: " + string.Join("|", Enumerable.Range(0, batch.FieldNames.Count).Select(c => batch.Get(r, c) ?? "∅"))));
        }

        return (events.Events, rows, heldBytes);
    }

    /// <summary>The file's first rows (lines 2, 3, ...), each cell by its column's name.</summary>
    private static async Task<List<Dictionary<string, string?>>> FirstRows(PipelineDefinition pipeline, string path, int count)
    {
        var source = new CsvSource(path, pipeline.Source.Schema, "auto", "auto", count, pipeline.Source.Limits);
        await using var batches = source.ReadAsync(new RejectList(), CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await batches.MoveNextAsync());
        var batch = batches.Current;
        return [.. Enumerable.Range(0, count).Select(r => batch.FieldNames.Select((name, c) => (name, batch.Get(r, c))).ToDictionary(x => x.name, x => x.Item2))];
    }

    /// <summary>Lines 3002 to 3009, made from the file's first rows (lines 2 to 4).</summary>
    private static IEnumerable<Dictionary<string, string?>> Troubles(List<Dictionary<string, string?>> first)
    {
        Dictionary<string, string?> Row(int from, params (string Column, string Value)[] changes)
        {
            var row = new Dictionary<string, string?>(first[from]);
            foreach (var (column, value) in changes)
            {
                row[column] = value;
            }

            return row;
        }

        var columns = DemoActorGenerator.Columns;
        yield return Row(1, ("id_crm", "")); // 3002
        yield return Row(2, ("adresse", new string('é', 5_001))); // 3003
        yield return Row(2, ("adresse", new string('é', 5_000))); // 3004: line 4's SIRET again
        yield return Row(0); // 3005
        yield return Row(0, ("adresse", "12 rue \"du Port\"")); // 3006
        yield return columns.Select((c, i) => (c, (string?)(i % 3 == 0 ? "\u00A0" : i % 3 == 1 ? " \t" : "\u2003"))).ToDictionary(x => x.c, x => x.Item2); // 3007
        yield return columns.ToDictionary(c => c, c => (string?)(c == "adresse" ? "\u200B" : "")); // 3008
        yield return Row(1, ("contact_email", "jean.dupont@garage"), ("contact_telephone", "06 12"), ("siret", "73282932000074"), ("id_crm", "CRM-X")); // 3009
    }

    /// <summary>A CSV line in the generator's column order, quoted as RFC 4180 needs.</summary>
    private static string Line(Dictionary<string, string?> row) =>
        string.Join(",", DemoActorGenerator.Columns.Select(name => row[name] is not { } c ? "" : c.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{c.Replace("\"", "\"\"")}\"" : c));
}

using System.Text;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Sources;
using FsCheck;
using FsCheck.Fluent;

namespace Automotech.OpenData.Tests.Sources;

/// <summary>
/// Whatever bytes arrive, the reader never crashes: it yields rows (each with its line) and
/// rejected rows with a located error, or stops with a clear error naming a line.
/// </summary>
public class ReaderPropertyTests
{
    private static readonly TableSchema Schema = new()
    {
        Fields =
        [
            new SchemaField { Name = "a", Constraints = new FieldConstraints { Required = true } },
            new SchemaField { Name = "b" },
            new SchemaField { Name = "c" },
        ],
    };

    private static readonly SourceLimits SmallLimits = new() { MaxRecordBytes = 4096, MaxFieldChars = 1000 };

    [Fact]
    public void Arbitrary_bytes_never_crash_the_reader()
    {
        var bytes = ArbMap.Default.GeneratorFor<byte[]>();
        var withHeader = Gen.Elements(true, false);
        var encodings = Gen.Elements("auto", "utf-8", "windows-1252");
        var cases = bytes.Zip(withHeader).Zip(encodings).ToArbitrary();
        Prop.ForAll(cases, c =>
        {
            var ((body, header), encoding) = c;
            var prefix = header ? "a,b,c\r\n"u8.ToArray() : [];
            return ReadsCleanly([.. prefix, .. body], encoding);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Arbitrary_csv_shaped_text_never_crashes_the_reader()
    {
        // Cells drawn from the characters that break naive readers: delimiters, quotes, line breaks.
        var cell = Gen.Elements("", "x", "é", ",", ";", "\t", "\"", "\"\"", "\r", "\n", "\r\n", " ", "=1+1", "\"a,b\"", "Sévérac", "\u00a0")
            .ListOf().Select(parts => string.Concat(parts));
        var row = cell.ListOf().Select(cells => string.Join(",", cells));
        var text = row.ListOf().Select(rows => "a,b,c\r\n" + string.Join(Gen.Elements("\r\n", "\n").Sample(1)[0], rows));
        Prop.ForAll(text.ToArbitrary(), t => ReadsCleanly(Encoding.UTF8.GetBytes(t), "auto")).QuickCheckThrowOnFailure();
    }

    private static bool ReadsCleanly(byte[] content, string encoding)
    {
        using var temp = new TempFolder();
        var path = temp.Combine("input.csv");
        File.WriteAllBytes(path, content);
        var sink = new RejectList();
        var lines = new List<long>();
        try
        {
            var source = new CsvSource(path, Schema, encoding, "auto", 7, SmallLimits);
            var task = Task.Run(async () =>
            {
                await foreach (var batch in source.ReadAsync(sink, CancellationToken.None))
                {
                    for (var r = 0; r < batch.Count; r++)
                    {
                        lines.Add(batch.LineNumber(r));
                    }
                }
            });
            task.GetAwaiter().GetResult();
        }
        catch (PipelineException e)
        {
            // A stop is fine when it says where: the header, or after which line (a line number:
            // "line" alone is in "pipeline", which says nothing of where).
            return System.Text.RegularExpressions.Regex.IsMatch(e.Message, @"\bline [0-9]+");
        }

        var rowsLocated = lines.All(l => l >= 2) && lines.Zip(lines.Skip(1)).All(p => p.First < p.Second);
        var errorsLocated = sink.Errors.All(e => e.LineNumber >= 2 && !string.IsNullOrEmpty(e.Type));
        var warningsLocated = sink.Warnings.All(w => w.LineNumber >= 1);
        return rowsLocated && errorsLocated && warningsLocated;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Validation;
using CsvHelper;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Streams INSEE's StockEtablissement (comma-delimited UTF-8, INSEE's column names) and keeps the
/// establishments of <c>source.filter</c>: region (commune codes of the embedded geography), NAF
/// codes or prefixes, administrative state. The filter reads the row's bytes in place; only kept
/// rows become strings, so a 10-million-row file costs the memory of one batch. Columns are mapped
/// by name; columns the pipeline does not declare (INSEE adds some over time) are ignored.
/// Establishments whose diffusion is restricted (anything but exactly <c>O</c>: <c>P</c>, <c>N</c> in older files, empty...) keep nothing
/// finer than their commune: every other declared column reads as missing
/// (<see cref="SireneStock.RestrictedAllowed"/>). INSEE's <c>[ND]</c> marker reads as missing.
/// </summary>
public sealed class SireneSource : IRecordSource
{
    private readonly string path;
    private readonly TableSchema schema;
    private readonly SireneFilter filter;
    private readonly int batchSize;
    private readonly SourceLimits limits;

    public SireneSource(string path, TableSchema schema, SireneFilter? filter, int batchSize, SourceLimits? limits = null)
    {
        this.path = path;
        this.schema = schema;
        this.filter = filter ?? new SireneFilter();
        this.batchSize = batchSize;
        this.limits = limits ?? new SourceLimits();
    }

    public string Description => path;

    public string Details => $"Sirene StockEtablissement, utf-8, delimiter ,; {RowsScanned} rows scanned, {RowsRead} kept by the filter ({FilterText})";

    public long SizeBytes => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>Rows kept by the filter (and rows too malformed to filter), the rows the pipeline sees.</summary>
    public long RowsRead { get; private set; }

    /// <summary>Every row of the file.</summary>
    public long RowsScanned { get; private set; }

    public double Fraction { get; private set; }

    public string NoRowsReason => $"source.filter kept 0 of {RowsScanned} rows scanned in {path} ({FilterText})";

    private string FilterText =>
        string.Join("; ", new[]
        {
            filter.Region is null ? null : $"region {filter.Region}",
            filter.Naf.Count == 0 ? null : $"naf {string.Join(" ", filter.Naf)}",
            filter.Etat.Count == 0 ? null : $"etat {string.Join(" ", filter.Etat)}",
        }.OfType<string>().DefaultIfEmpty("no filter"));

    public async IAsyncEnumerable<ColumnBatch> ReadAsync(IRejectedRowSink sink, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        SourceFile.RequireRegular(path, "Sirene file");
        if (!File.Exists(path))
        {
            throw new PipelineException($"{path}: Sirene file not found.");
        }

        var size = new FileInfo(path).Length;
        if (size > limits.MaxFileBytes)
        {
            throw new PipelineException($"{path}: the file is {size} bytes, above source.limits.max_file_bytes ({limits.MaxFileBytes}).");
        }

        var communes = filter.Region is null ? null : SireneStock.CommunesOf(filter.Region);
        var naf = new NafMatcher(filter.Naf);
        var states = filter.Etat.Select(Encoding.ASCII.GetBytes).ToArray();

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false);
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            Encoding = Encoding.UTF8,
            TrackLineNumbers = true,
            MaxRecordSize = limits.MaxRecordBytes,
            IncludeValuesInExceptions = false,
        };
        await using var reader = CsvReader.Create(stream, options, leaveOpen: true);
        var layout = CsvRecords.ReadHeader(reader, path, headers => MapHeader(headers, communes is not null, !naf.IsEmpty, states.Length > 0));

        var headerCount = reader.Headers.Count;
        var batch = new ColumnBatch(schema.FieldNames, batchSize);
        var scanned = 0L;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!CsvRecords.Next(reader, path, ref scanned, limits))
            {
                break;
            }

            RowsScanned = scanned;

            if ((RowsScanned & 0xFFFF) == 0)
            {
                Fraction = size == 0 ? 1 : Math.Min(1, (double)stream.Position / size);
            }

            var line = reader.LineNumber;
            if (reader.FieldCount != headerCount)
            {
                // Cells have shifted: the filter cannot be trusted on this row, so the pipeline sees it, rejected.
                RowsRead++;
                var type = reader.FieldCount > headerCount ? "extra-cell" : "missing-cell";
                sink.Reject(Rejected(line, layout, type, $"la ligne compte {reader.FieldCount} cellules pour {headerCount} colonnes d'en-tête"));
                continue;
            }

            // The filter, on the row's bytes: no string is made for the rows it drops.
            if (communes is not null && !communes.Contains(SireneStock.CommuneKey(reader.GetSpan(layout.Commune))))
            {
                continue;
            }

            if (!naf.IsEmpty && !naf.Matches(reader.GetSpan(layout.Activity)))
            {
                continue;
            }

            if (states.Length > 0 && !AnyEqual(states, reader.GetSpan(layout.State)))
            {
                continue;
            }

            RowsRead++;
            if (!Utf8.IsValid(reader.RawRecord))
            {
                sink.Reject(Rejected(line, layout, "encoding-error", "la ligne contient des octets invalides en UTF-8 (fichier mal encodé ?)"));
                continue;
            }

            var restricted = layout.Diffusion < 0 || SireneStock.IsRestricted(reader.GetSpan(layout.Diffusion));
            var row = batch.AddRow(line);
            for (var f = 0; f < layout.ColumnOfField.Length; f++)
            {
                var column = layout.ColumnOfField[f];
                batch.Set(row, f, column < 0 || (restricted && !layout.AllowedWhenRestricted[f]) ? null : Value(reader, column));
            }

            if (batch.IsFull)
            {
                Fraction = size == 0 ? 1 : Math.Min(1, (double)stream.Position / size);
                yield return batch;
                batch.Clear();
            }
        }

        Fraction = 1;
        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static string? Value(CsvReader reader, int column)
    {
        var span = reader.GetSpan(column);
        return span.Length == 0 || span.SequenceEqual(SireneStock.NotDiffused) ? null : Encoding.UTF8.GetString(span);
    }

    private static bool AnyEqual(byte[][] values, ReadOnlySpan<byte> cell)
    {
        foreach (var value in values)
        {
            if (cell.SequenceEqual(value))
            {
                return true;
            }
        }

        return false;
    }

    private Layout MapHeader(IReadOnlyList<string> headers, bool needCommune, bool needActivity, bool needState)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var positions = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < headers.Count; i++)
        {
            index.TryAdd(headers[i].Trim(), i);
            (CollectionsMarshal.GetValueRefOrAddDefault(positions, headers[i].Trim(), out _) ??= []).Add(i + 1);
        }

        var problems = new List<string>();

        // A column read given twice: which one holds the data? INSEE's file names each once, so
        // this one is not it (or was edited). Columns nobody reads may repeat.
        void Once(string column)
        {
            if (positions.TryGetValue(column, out var at) && at.Count > 1 && !problems.Any(p => p.StartsWith($"duplicate-label: column '{column}' ", StringComparison.Ordinal)))
            {
                problems.Add($"duplicate-label: column '{column}' {at.Count} times (columns n° {string.Join(", ", at)})");
            }
        }

        int Required(string column, bool needed)
        {
            if (index.TryGetValue(column, out var i))
            {
                Once(column);
                return i;
            }

            if (needed)
            {
                problems.Add($"missing-label: column '{column}' is needed by source.filter");
            }

            return -1;
        }

        var commune = Required(SireneStock.Commune, needCommune);
        var activity = Required(SireneStock.Activity, needActivity);
        var state = Required(SireneStock.State, needState);
        var diffusion = Required(SireneStock.Diffusion, needed: true);

        // Fields are declared by INSEE's exact column names (aliases allowed, as for CSV sources).
        var columnOfField = new int[schema.Fields.Count];
        var allowed = new bool[schema.Fields.Count];
        for (var f = 0; f < columnOfField.Length; f++)
        {
            var field = schema.Fields[f];
            var column = field.Aliases.Prepend(field.Name).Select(n => index.TryGetValue(n, out var i) ? i : -1).FirstOrDefault(i => i >= 0, -1);
            columnOfField[f] = column;
            if (column >= 0)
            {
                Once(headers[column].Trim());
            }

            allowed[f] = column >= 0 && SireneStock.RestrictedAllowed.Contains(headers[column].Trim());
            if (column < 0 && field.Constraints.Required)
            {
                problems.Add($"missing-label: required column '{field.Name}' is missing");
            }
        }

        if (problems.Count > 0)
        {
            // The header is not repeated: the file given may be another one, private (a CRM export)
            // or without a header (its first line a record).
            throw new PipelineException(
                $"{path}, line 1 (header): {string.Join("; ", problems)}. Is this INSEE's StockEtablissement (comma-delimited, INSEE's column names)? The header has {headers.Count} column(s), {headers.Count(h => SireneStock.Columns.Contains(h.Trim()))} of them INSEE's.");
        }

        return new Layout(columnOfField, allowed, commune, activity, state, diffusion);
    }

    private static RejectedRow Rejected(long line, Layout layout, string type, string message) =>
        new(line, [new RowError(line, null, type, type, message)], new string?[layout.ColumnOfField.Length]);

    private sealed record Layout(int[] ColumnOfField, bool[] AllowedWhenRestricted, int Commune, int Activity, int State, int Diffusion);
}

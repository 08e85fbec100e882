using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using CsvHelper;

namespace Automotech.OpenData.Validation;

/// <summary>
/// The private record of a run's problems, outside the published tree: <c>rejets.csv</c> and
/// <c>rejets.json</c> (each rejected row with its source line, every reason and its values), and
/// <c>rapport.json</c>, a Frictionless-style validation report (<c>valid</c>, <c>stats</c>,
/// <c>errors</c> with <c>type</c>, <c>rowNumber</c>, <c>fieldName</c>, <c>message</c>, and the
/// first warnings). All are streamed: memory does not grow with the number of rejections. It
/// counts errors and warnings by type and field for the public summary, which holds counts only,
/// never values. Made by one of two factories, so that no argument's value can switch from one
/// kind to the other: <see cref="WritingTo"/> (publishing) writes the files into its directory;
/// <see cref="CountingOnly"/> (the <c>validate</c> verb) counts and writes nothing.
/// </summary>
public sealed class Quarantine : IRejectedRowSink, IDisposable
{
    /// <summary>Warnings kept for the report (all are counted).</summary>
    public const int WarningsKept = 1000;

    /// <summary>Pending JSON beyond which the writers flush (a rejected row adds a few hundred bytes).</summary>
    private const int FlushBytes = 1 << 16;

    private readonly IReadOnlyList<string> sourceFields;
    private readonly FileStream? csvStream;
    private readonly CsvWriter? csv;
    private readonly FileStream? rowsStream;
    private readonly Utf8JsonWriter? rows;
    private readonly FileStream? reportStream;
    private readonly Utf8JsonWriter? report;
    private readonly List<RowError> firstErrors = [];
    private readonly List<RowError> warnings = [];
    // Counted in hash maps (one lookup per error), sorted when read: a sorted map compares the
    // keys' strings culture-aware at every error, which cost seconds at 20,000 rejected rows.
    private readonly Dictionary<(string Type, string Field), long> counts = [];
    private readonly Dictionary<(string Type, string Field), (long Rows, long LastLine)> warningCounts = [];

    private readonly IRejectedRowSink? observer;

    private Quarantine(string? directory, IReadOnlyList<string> sourceFields, IRejectedRowSink? observer)
    {
        Directory = directory;
        this.observer = observer;
        this.sourceFields = sourceFields;
        if (directory is null)
        {
            return;
        }

        // All three files or none: when one cannot be created, those already open are closed
        // (Dispose skips what is still null) and the creation's error is thrown.
        try
        {
            PrivateFiles.CreateDirectory(directory);
            csvStream = PrivateFiles.Create(Path.Combine(directory, "rejets.csv"));
            csv = CsvWriter.Create(csvStream, CsvWriterOptions.Default, leaveOpen: true);
            csv.WriteHeader(["ligne", "erreurs", .. sourceFields]);
            rowsStream = PrivateFiles.Create(Path.Combine(directory, "rejets.json"));
            rows = new Utf8JsonWriter(rowsStream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            rows.WriteStartArray();
            reportStream = PrivateFiles.Create(Path.Combine(directory, "rapport.json"));
            report = new Utf8JsonWriter(reportStream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            report.WriteStartObject();
            report.WriteStartArray("errors");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// A quarantine that writes <c>rejets.csv</c>, <c>rejets.json</c> and <c>rapport.json</c> into
    /// <paramref name="directory"/>, created if missing.
    /// </summary>
    /// <param name="observer">Also receives every rejected row and warning (tests, reports).</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null, empty or blank.</exception>
    public static Quarantine WritingTo(string directory, IReadOnlyList<string> sourceFields, IRejectedRowSink? observer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return new Quarantine(directory, sourceFields, observer);
    }

    /// <summary>A quarantine that counts errors and warnings, and writes no file (the <c>validate</c> verb).</summary>
    /// <param name="observer">Also receives every rejected row and warning (tests, reports).</param>
    public static Quarantine CountingOnly(IReadOnlyList<string> sourceFields, IRejectedRowSink? observer = null) =>
        new(null, sourceFields, observer);

    /// <summary>Where the files are written; null for a quarantine that writes none (<see cref="CountingOnly"/>).</summary>
    public string? Directory { get; }

    public long RejectedRows { get; private set; }

    public long ErrorCount { get; private set; }

    public long WarningCount { get; private set; }

    /// <summary>The first errors met, for a console report.</summary>
    public IReadOnlyList<RowError> FirstErrors => firstErrors;

    /// <summary>Error counts by (type, field), in ordinal order: the public summary's content.</summary>
    public IReadOnlyDictionary<(string Type, string Field), long> Counts => new SortedDictionary<(string Type, string Field), long>(counts, OrdinalPairs);

    public IReadOnlyDictionary<(string Type, string Field), long> WarningCounts => new SortedDictionary<(string Type, string Field), long>(warningCounts.ToDictionary(c => c.Key, c => c.Value.Rows), OrdinalPairs);

    /// <summary>Whether an earlier error of the row has the same type and field (the row is counted once for them).</summary>
    private static bool CountedBefore(IReadOnlyList<RowError> errors, int index, (string Type, string Field) key)
    {
        for (var i = 0; i < index; i++)
        {
            if (string.Equals(errors[i].Type, key.Type, StringComparison.Ordinal) && string.Equals(errors[i].FieldName ?? "", key.Field, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// By type, then field, ordinally: a tuple's default comparer follows the machine's culture
    /// (ICU puts "code_a" before "codeB", invariant-globalization mode after), and the published
    /// summary must not change with the machine that publishes it.
    /// </summary>
    private static readonly Comparer<(string Type, string Field)> OrdinalPairs = Comparer<(string Type, string Field)>.Create((a, b) =>
    {
        var byType = string.CompareOrdinal(a.Type, b.Type);
        return byType != 0 ? byType : string.CompareOrdinal(a.Field, b.Field);
    });

    public void Warn(RowError warning)
    {
        observer?.Warn(warning);
        WarningCount++;
        // Rows, not warnings: a row's warnings come one after the other, so a row already counted
        // for this (type, field) is the last line counted for it.
        var key = (warning.Type, warning.FieldName ?? "");
        ref var counted = ref CollectionsMarshal.GetValueRefOrAddDefault(warningCounts, key, out var known);
        if (!known || counted.LastLine != warning.LineNumber)
        {
            counted = (counted.Rows + 1, warning.LineNumber);
        }
        if (warnings.Count < WarningsKept)
        {
            warnings.Add(warning);
        }
    }

    public void Reject(RejectedRow row)
    {
        observer?.Reject(row);
        RejectedRows++;
        for (var i = 0; i < row.Errors.Count; i++)
        {
            var error = row.Errors[i];
            ErrorCount++;
            var key = (error.Type, error.FieldName ?? "");
            if (!CountedBefore(row.Errors, i, key))
            {
                counts[key] = counts.GetValueOrDefault(key) + 1; // rows: once per row and (type, field)
            }

            if (firstErrors.Count < 50)
            {
                firstErrors.Add(error);
            }
        }

        if (csv is null || rows is null || report is null)
        {
            return;
        }

        csv.WriteField(row.LineNumber.ToString(CultureInfo.InvariantCulture));
        csv.WriteField(string.Join(" | ", row.Errors.Select(e => $"{e.Type}: {e.Message}")));
        foreach (var value in row.Values)
        {
            csv.WriteField(value);
        }

        csv.EndRecord();
        rows.WriteStartObject();
        rows.WriteNumber("ligne", row.LineNumber);
        rows.WriteStartArray("erreurs");
        foreach (var error in row.Errors)
        {
            WriteError(rows, error);
        }

        rows.WriteEndArray();
        rows.WriteStartObject("valeurs");
        for (var i = 0; i < row.Values.Count && i < sourceFields.Count; i++)
        {
            rows.WriteString(sourceFields[i], row.Values[i]);
        }

        rows.WriteEndObject();
        rows.WriteEndObject();
        foreach (var error in row.Errors)
        {
            WriteError(report, error);
        }

        // A Utf8JsonWriter holds what it wrote until flushed: without this, 200,000 rejected rows
        // of a 10M-row source kept both JSON files in memory (hundreds of MB) until the end.
        if (rows.BytesPending > FlushBytes)
        {
            rows.Flush();
        }

        if (report.BytesPending > FlushBytes)
        {
            report.Flush();
        }
    }

    /// <summary>Closes the report with its verdict and statistics.</summary>
    public void Complete(long rowsRead, bool valid)
    {
        if (report is null || rows is null)
        {
            return;
        }

        report.WriteEndArray();
        report.WriteBoolean("valid", valid);
        report.WriteStartObject("stats");
        report.WriteNumber("rows", rowsRead);
        report.WriteNumber("rejectedRows", RejectedRows);
        report.WriteNumber("errors", ErrorCount);
        report.WriteNumber("warnings", WarningCount);
        report.WriteEndObject();
        report.WriteStartArray("warnings");
        foreach (var warning in warnings)
        {
            WriteError(report, warning);
        }

        report.WriteEndArray();
        report.WriteEndObject();
        report.Flush();
        rows.WriteEndArray();
        rows.Flush();
    }

    public void Dispose()
    {
        csv?.Dispose();
        csvStream?.Dispose();
        rows?.Dispose();
        rowsStream?.Dispose();
        report?.Dispose();
        reportStream?.Dispose();
    }

    private static void WriteError(Utf8JsonWriter json, RowError error)
    {
        json.WriteStartObject();
        json.WriteString("type", error.Type);
        json.WriteNumber("rowNumber", error.LineNumber);
        if (error.FieldName is not null)
        {
            json.WriteString("fieldName", error.FieldName);
        }

        json.WriteString("rule", error.Rule);
        json.WriteString("message", error.Message);
        json.WriteEndObject();
    }
}

using System.Text.Json;
using CsvHelper;

namespace Automotech.OpenData.Validation;

/// <summary>
/// The private record of a run's rejected rows, outside the published tree:
/// <c>rejets.csv</c> (source line, reasons, then the row as read) and <c>rapport.json</c>
/// (a Frictionless-style validation report). Both are streamed: memory does not grow with the
/// number of rejections. It also counts errors by type and field for the public summary,
/// which holds counts only, never values. Without a directory (the <c>validate</c> verb), it
/// writes nothing and keeps the first errors for the console.
/// </summary>
public sealed class Quarantine : IRejectedRowSink, IDisposable
{
    private readonly FileStream? csvStream;
    private readonly CsvWriter? csv;
    private readonly FileStream? jsonStream;
    private readonly Utf8JsonWriter? json;
    private readonly List<RowError> firstErrors = [];
    private readonly SortedDictionary<(string Type, string Field), long> counts = new();

    public Quarantine(string? directory, IReadOnlyList<string> sourceFields)
    {
        Directory = directory;
        if (directory is null)
        {
            return;
        }

        System.IO.Directory.CreateDirectory(directory);
        csvStream = File.Create(Path.Combine(directory, "rejets.csv"));
        csv = CsvWriter.Create(csvStream, CsvWriterOptions.Default, leaveOpen: true);
        csv.WriteField("ligne");
        csv.WriteField("erreurs");
        foreach (var name in sourceFields)
        {
            csv.WriteField(name);
        }

        csv.EndRecord();
        jsonStream = File.Create(Path.Combine(directory, "rapport.json"));
        json = new Utf8JsonWriter(jsonStream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartArray("errors");
    }

    public string? Directory { get; }

    /// <summary>The first errors met, for a console report.</summary>
    public IReadOnlyList<RowError> FirstErrors => firstErrors;

    public long RejectedRows { get; private set; }

    public long ErrorCount { get; private set; }

    /// <summary>Error counts by (type, field), sorted: the public summary's content.</summary>
    public IReadOnlyDictionary<(string Type, string Field), long> Counts => counts;

    public void Reject(RejectedRow row)
    {
        RejectedRows++;
        foreach (var error in row.Errors)
        {
            ErrorCount++;
            var key = (error.Type, error.FieldName ?? "");
            counts[key] = counts.GetValueOrDefault(key) + 1;
            if (firstErrors.Count < 50)
            {
                firstErrors.Add(error);
            }
        }

        if (csv is null || json is null)
        {
            return;
        }

        csv.WriteField(row.LineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
        csv.WriteField(string.Join(" | ", row.Errors.Select(e => $"{e.Type}: {e.Message}")));
        foreach (var value in row.Values)
        {
            csv.WriteField(value);
        }

        csv.EndRecord();
        foreach (var error in row.Errors)
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

    /// <summary>Closes the report with its verdict and statistics.</summary>
    public void Complete(long rowsRead, bool valid)
    {
        if (json is null)
        {
            return;
        }

        json.WriteEndArray();
        json.WriteBoolean("valid", valid);
        json.WriteStartObject("stats");
        json.WriteNumber("rows", rowsRead);
        json.WriteNumber("rejectedRows", RejectedRows);
        json.WriteNumber("errors", ErrorCount);
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
    }

    public void Dispose()
    {
        csv?.Dispose();
        csvStream?.Dispose();
        json?.Dispose();
        jsonStream?.Dispose();
    }
}

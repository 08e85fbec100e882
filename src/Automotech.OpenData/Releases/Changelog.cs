using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using CsvHelper;

namespace Automotech.OpenData.Releases;

/// <summary>How many rows a field changed in, between two versions.</summary>
public sealed record FieldChange(string Field, long Rows);

/// <summary>
/// What changed between two consecutive versions of a dataset, by primary key: rows added,
/// removed and modified, and for modified rows how many changed in each field. Built from the
/// two published CSV files only (public data), published as <c>changelog.json</c> in the
/// version folder. Memory holds a 32-byte digest pair per row of the previous version, then
/// the keys of modified rows only.
/// </summary>
public sealed class Changelog
{
    public const string FileName = "changelog.json";

    public string Version { get; init; } = "";

    /// <summary>The version compared against; null for a dataset's first version.</summary>
    public string? Previous { get; init; }

    public long Added { get; init; }

    public long Removed { get; init; }

    public long Modified { get; init; }

    public long Unchanged { get; init; }

    public List<FieldChange> Fields { get; init; } = [];

    public byte[] ToUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(this, ReleaseManifest.Json);

    /// <param name="previousCsv">The previous version's CSV, or null when there is none.</param>
    public static Changelog Compute(Func<Stream>? previousCsv, string currentCsv, IReadOnlyList<string> primaryKey, string version, string? previous)
    {
        if (previousCsv is null)
        {
            return new Changelog { Version = version, Added = Count(currentCsv) };
        }

        // Pass 1: key → row digest of the previous version; then walk the current one.
        var before = new Dictionary<UInt128, UInt128>();
        Read(previousCsv(), primaryKey, (key, row, _) => before[key] = row);
        long added = 0, unchanged = 0;
        var modified = new HashSet<UInt128>();
        Read(File.OpenRead(currentCsv), primaryKey, (key, row, _) =>
        {
            if (!before.Remove(key, out var old))
            {
                added++;
            }
            else if (old == row)
            {
                unchanged++;
            }
            else
            {
                modified.Add(key);
            }
        });
        var removed = before.Count;
        before.Clear();

        // Pass 2, for modified rows only: the previous values, then the fields that differ.
        var previousValues = new Dictionary<UInt128, Dictionary<string, string>>();
        if (modified.Count > 0)
        {
            Read(previousCsv(), primaryKey, (key, _, values) =>
            {
                if (modified.Contains(key))
                {
                    previousValues[key] = values();
                }
            });
        }

        var perField = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (modified.Count > 0)
        {
            Read(File.OpenRead(currentCsv), primaryKey, (key, _, values) =>
            {
                if (previousValues.TryGetValue(key, out var old))
                {
                    foreach (var (field, value) in values())
                    {
                        if (!old.TryGetValue(field, out var was) || was != value)
                        {
                            perField[field] = perField.GetValueOrDefault(field) + 1;
                        }
                    }
                }
            });
        }

        return new Changelog
        {
            Version = version,
            Previous = previous,
            Added = added,
            Removed = removed,
            Modified = modified.Count,
            Unchanged = unchanged,
            Fields = perField.Select(p => new FieldChange(p.Key, p.Value)).ToList(),
        };
    }

    private static long Count(string csv)
    {
        long rows = 0;
        Read(File.OpenRead(csv), [], (_, _, _) => rows++);
        return rows;
    }

    private static void Read(Stream stream, IReadOnlyList<string> primaryKey, Action<UInt128, UInt128, Func<Dictionary<string, string>>> onRow)
    {
        using var reader = CsvReader.Create(stream, CsvReaderOptions.Default with { Separator = ',' }, leaveOpen: false);
        reader.ReadHeader();
        var headers = reader.Headers.ToArray();
        var keyColumns = primaryKey.Select(k => Array.IndexOf(headers, k)).Where(i => i >= 0).ToArray();
        var hash = new XxHash128();
        while (reader.Read())
        {
            hash.Reset();
            foreach (var i in keyColumns)
            {
                hash.Append(MemoryMarshal.AsBytes(reader.GetString(i).AsSpan()));
                hash.Append("\u001f"u8);
            }

            var key = hash.GetCurrentHashAsUInt128();
            hash.Reset();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                hash.Append(MemoryMarshal.AsBytes(headers[i].AsSpan()));
                hash.Append("\u001e"u8);
                hash.Append(MemoryMarshal.AsBytes(reader.GetString(i).AsSpan()));
                hash.Append("\u001f"u8);
            }

            var row = hash.GetCurrentHashAsUInt128();
            onRow(key, row, () => Enumerable.Range(0, reader.FieldCount).ToDictionary(i => headers[i], reader.GetString, StringComparer.Ordinal));
        }
    }
}

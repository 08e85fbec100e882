using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json;
using CsvHelper;

namespace Automotech.OpenData.Releases;

/// <summary>How many rows a field changed in, between two versions.</summary>
public sealed record FieldChange(string Field, long Rows);

/// <summary>
/// What changed between two consecutive versions of a dataset, by primary key: rows added,
/// removed and modified, and for modified rows how many changed in each field. Built from the
/// two published CSV files only (public data), published as <c>changelog.json</c> in the
/// version folder. Both files are split by key into partitions of digests (one per 16 MB of
/// CSV), compared one partition at a time: memory does not grow with the dataset.
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

    /// <summary>
    /// How the published schema changed since <see cref="Previous"/> (<see cref="StructureChange"/>):
    /// empty when its structure is the same, null for a first version (or one whose previous schema
    /// could not be read). Rows are compared on the fields both versions hold.
    /// </summary>
    public List<StructureChange>? Structure { get; set; }

    public byte[] ToUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(this, ReleaseManifest.Json);

    /// <summary>CSV bytes per partition: each partition's digests fit in a few tens of MB.</summary>
    public const long BytesPerPartition = 16L << 20;

    /// <param name="previousCsv">The previous version's CSV, or null when there is none.</param>
    /// <param name="spillDirectory">
    /// Private folder for the partition files; null keeps them in memory (small files, tests).
    /// </param>
    /// <param name="partitions">Forces the partition count (tests); by default one per 16 MB of CSV.</param>
    public static Changelog Compute(Func<Stream>? previousCsv, string currentCsv, IReadOnlyList<string> primaryKey, string version, string? previous, string? spillDirectory = null, int? partitions = null)
    {
        if (previousCsv is null)
        {
            return new Changelog { Version = version, Added = Count(currentCsv) };
        }

        // Both versions are split by key into partitions (files of key and per-field digests),
        // then each partition is compared in memory: memory holds one partition's digests,
        // whatever the dataset's size. One read of each CSV, the two side by side (each has its
        // own partitions; the second core is idle once the data is written).
        var count = partitions ?? (spillDirectory is null ? 1 : (int)Math.Clamp((new FileInfo(currentCsv).Length / BytesPerPartition) + 1, 1, 4096));
        using var before = new PartitionSet(spillDirectory, "before", count);
        using var after = new PartitionSet(spillDirectory, "after", count);
        var beforeSplit = Task.Run(() => Split(previousCsv(), primaryKey, before));
        string[] afterHeaders;
        try
        {
            afterHeaders = Split(File.OpenRead(currentCsv), primaryKey, after);
        }
        catch
        {
            // The other split still writes to its partitions: it ends before they are disposed.
            try
            {
                beforeSplit.Wait();
            }
            catch (AggregateException)
            {
                // this failure is the one reported
            }

            throw;
        }

        var beforeHeaders = beforeSplit.GetAwaiter().GetResult();

        // Rows are compared on the fields both versions hold, matched by name: a field added or
        // removed (its column new or gone, in every row) is said once in the structure's changes,
        // not counted as a change of every row; a field moved compares with itself.
        var previousIndex = afterHeaders.Select(h => Array.IndexOf(beforeHeaders, h)).ToArray();
        long added = 0, removed = 0, modified = 0, unchanged = 0;
        var perField = new long[afterHeaders.Length];
        for (var p = 0; p < count; p++)
        {
            var old = new Dictionary<UInt128, ulong[]>();
            foreach (var (key, fields) in before.Read(p, beforeHeaders.Length))
            {
                // After a change of primary key, several rows of the previous version can share a
                // key of the new one: the last read is compared, and each other one counts as
                // removed, having no counterpart, so that every row of either version is counted
                // once (before = removed + modified + unchanged). Overwritten, they went uncounted.
                if (!old.TryAdd(key, fields))
                {
                    removed++;
                    old[key] = fields;
                }
            }

            foreach (var (key, fields) in after.Read(p, afterHeaders.Length, reuse: true))
            {
                if (!old.Remove(key, out var was))
                {
                    added++;
                    continue;
                }

                var rowModified = false;
                for (var f = 0; f < fields.Length && !rowModified; f++)
                {
                    rowModified = previousIndex[f] >= 0 && fields[f] != was[previousIndex[f]];
                }

                if (!rowModified)
                {
                    unchanged++;
                    continue;
                }

                modified++;
                for (var f = 0; f < fields.Length; f++)
                {
                    if (previousIndex[f] >= 0 && fields[f] != was[previousIndex[f]])
                    {
                        perField[f]++;
                    }
                }
            }

            removed += old.Count;
        }

        return new Changelog
        {
            Version = version,
            Previous = previous,
            Added = added,
            Removed = removed,
            Modified = modified,
            Unchanged = unchanged,
            Fields = afterHeaders.Select((h, i) => new FieldChange(h, perField[i])).Where(c => c.Rows > 0).OrderBy(c => c.Field, StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>
    /// Reads a CSV once, writing each row's key digest and per-field digests to its key's partition;
    /// cells are hashed as the UTF-8 bytes of their text, without a string per cell (both files
    /// are hashed the same way, and the digests never leave the run).
    /// </summary>
    private static string[] Split(Stream stream, IReadOnlyList<string> primaryKey, PartitionSet partitions)
    {
        using var reader = CsvReader.Create(stream, CsvReaderOptions.Default with { Separator = ',' }, leaveOpen: false);
        reader.ReadHeader();
        var headers = reader.Headers.ToArray();
        var keyColumns = primaryKey.Select(k => Array.IndexOf(headers, k)).Where(i => i >= 0).ToArray();

        // A file lacking a field of the (current) primary key, a previous version's before the key
        // changed, has no row that can be matched: each gets a key of its own, so that its rows count
        // as removed rather than as one row (all of them with the same partial key).
        var unmatched = keyColumns.Length < primaryKey.Count;
        long row = 0;
        var hash = new XxHash128();
        var fields = new ulong[headers.Length];
        Span<byte> ordinal = stackalloc byte[8];
        while (reader.Read())
        {
            hash.Reset();
            foreach (var i in keyColumns)
            {
                hash.Append(reader.GetSpan(i));
                hash.Append("\u001f"u8);
            }

            if (unmatched)
            {
                BinaryPrimitives.WriteInt64LittleEndian(ordinal, row++);
                hash.Append("\u001eunmatched\u001e"u8);
                hash.Append(ordinal);
            }

            for (var i = 0; i < headers.Length; i++)
            {
                fields[i] = XxHash64.HashToUInt64(reader.GetSpan(i));
            }

            partitions.Write(hash.GetCurrentHashAsUInt128(), fields);
        }

        partitions.Flush();
        return headers;
    }

    private static long Count(string csv)
    {
        using var reader = CsvReader.Create(File.OpenRead(csv), CsvReaderOptions.Default with { Separator = ',' }, leaveOpen: false);
        reader.ReadHeader();
        long rows = 0;
        while (reader.Read())
        {
            rows++;
        }

        return rows;
    }

    /// <summary>
    /// One file (or memory stream) per partition, rows appended as key (16 bytes) then one 8-byte
    /// digest per field. Files live in the private work directory and are deleted on dispose.
    /// </summary>
    private sealed class PartitionSet : IDisposable
    {
        private readonly string[]? paths;
        private readonly Stream[] streams;

        public PartitionSet(string? directory, string name, int count)
        {
            if (directory is not null)
            {
                PrivateFiles.CreateDirectory(directory);
                paths = [.. Enumerable.Range(0, count).Select(p => Path.Combine(directory, $"changelog-{Environment.ProcessId}-{name}-{p}.bin"))];
                streams = [.. paths.Select(path => (Stream)PrivateFiles.Open(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 14))];
            }
            else
            {
                streams = [.. Enumerable.Range(0, count).Select(_ => (Stream)new MemoryStream())];
            }
        }

        public void Write(UInt128 key, ulong[] fields)
        {
            var stream = streams[(int)((ulong)(key >> 64) % (ulong)streams.Length)];
            Span<byte> bytes = stackalloc byte[16 + (8 * fields.Length)];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)(key >> 64));
            BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], (ulong)key);
            for (var f = 0; f < fields.Length; f++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(bytes[(16 + (8 * f))..], fields[f]);
            }

            stream.Write(bytes);
        }

        public void Flush()
        {
            foreach (var stream in streams)
            {
                stream.Flush();
            }
        }

        /// <param name="reuse">Yields the same array of digests for every row (the caller keeps none of them).</param>
        public IEnumerable<(UInt128 Key, ulong[] Fields)> Read(int partition, int fieldCount, bool reuse = false)
        {
            var stream = streams[partition];
            stream.Position = 0;
            var record = new byte[16 + (8 * fieldCount)];
            var buffered = new BufferedStream(stream, 1 << 16);
            var shared = new ulong[fieldCount];
            while (buffered.ReadAtLeast(record, record.Length, throwOnEndOfStream: false) == record.Length)
            {
                var fields = reuse ? shared : new ulong[fieldCount];
                for (var f = 0; f < fieldCount; f++)
                {
                    fields[f] = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(16 + (8 * f)));
                }

                yield return (new UInt128(BinaryPrimitives.ReadUInt64LittleEndian(record), BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(8))), fields);
            }

            // This partition is done: its file can go now (the set removes the rest on dispose).
            stream.SetLength(0);
        }

        public void Dispose()
        {
            foreach (var stream in streams)
            {
                stream.Dispose();
            }

            foreach (var path in paths ?? [])
            {
                File.Delete(path);
            }
        }
    }
}

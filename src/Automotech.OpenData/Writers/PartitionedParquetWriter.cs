using System.Text;

namespace Automotech.OpenData.Writers;

/// <summary>
/// Parquet split Hive-style by one published field: <c>&lt;id&gt;/&lt;field&gt;=&lt;value&gt;/part-0.parquet</c>
/// under the build folder, readable as one table by DuckDB, Spark or Arrow
/// (<c>read_parquet('&lt;id&gt;/**/*.parquet', hive_partitioning = true)</c>). As in Hive, the partition
/// field is in the folder name, not in the files. Streaming: one writer per value, opened when the
/// value's first row group is written. A value's rows wait across batches for a row group as large
/// as a batch, within a budget of twice a batch's rows in all (past it, the values holding most rows
/// are written first), so that parallel readers get row groups of thousands of rows, not a batch's
/// few rows of each value; at most <c>maxPartitions</c> writers
/// (open files), past which the run fails clearly. Values are escaped as Hive escapes them (ASCII
/// punctuation, spaces and controls as %XX; letters beyond ASCII kept), so every path is a valid
/// file and blob name that Spark, DuckDB and Arrow decode to the value (the site's links encode
/// the '%' again); a missing value goes to <c>__HIVE_DEFAULT_PARTITION__</c>, as Hive writes it.
/// </summary>
public sealed class PartitionedParquetWriter : IDatasetWriter
{
    public const string PartFile = "part-0.parquet";
    public const string NullPartition = "__HIVE_DEFAULT_PARTITION__";

    /// <summary>The longest file name most file systems accept, in bytes.</summary>
    private const int MaxFolderBytes = 255;

    private readonly string directory;
    private readonly string datasetId;
    private readonly string field;
    private readonly int maxPartitions;
    private readonly TableSchema partSchema;
    private readonly IReadOnlyDictionary<string, string> metadata;
    private readonly Dictionary<string, (ParquetDatasetWriter Writer, string Relative)> writers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(long Line, string?[] Values)>> pending = new(StringComparer.Ordinal);
    private readonly List<string> firstSeen = [];
    private readonly Dictionary<string, string> valueOfFolder = new(StringComparer.OrdinalIgnoreCase);
    private readonly int threads;
    private ColumnBatch? slice;
    private int[]? sourceColumns;
    private int rowGroupRows = 1;
    private int pendingRows;

    /// <param name="directory">The build folder: parts go to <c>&lt;directory&gt;/&lt;datasetId&gt;/</c>.</param>
    /// <param name="threads">Threads that encode a row group's columns in each part (the bytes do not depend on it).</param>
    public PartitionedParquetWriter(string directory, string datasetId, TableSchema schema, string field, int maxPartitions, IReadOnlyDictionary<string, string> metadata, int threads = 2)
    {
        this.directory = directory;
        this.datasetId = datasetId;
        this.field = field;
        this.maxPartitions = maxPartitions;
        this.metadata = metadata;
        this.threads = threads;
        partSchema = new TableSchema
        {
            Fields = schema.Fields.Where(f => !string.Equals(f.Name, field, StringComparison.Ordinal)).ToList(),
            PrimaryKey = schema.PrimaryKey.Where(k => !string.Equals(k, field, StringComparison.Ordinal)).ToList(),
        };
        Path = System.IO.Path.Combine(directory, datasetId);
    }

    /// <summary>The folder holding the partitions.</summary>
    public string Path { get; }

    /// <summary>Every part written, relative to the build folder, in ordinal order.</summary>
    public IReadOnlyList<string> Files => writers.Values.Select(w => w.Relative).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The folder name of a value: <c>field=value</c>, both percent-encoded, as Hive escapes them:
    /// a field's name is a schema author's text, and a '/' in it must not make a path of several
    /// folders (<c>../../x</c> would climb out of the dataset's folder).
    /// </summary>
    public static string Segment(string field, string? value) => $"{Encode(field)}={(string.IsNullOrEmpty(value) ? NullPartition : Encode(value))}";

    public async Task WriteAsync(ColumnBatch batch, CancellationToken cancellationToken)
    {
        var column = batch.IndexOf(field);
        if (column < 0)
        {
            throw new PipelineException($"outputs.partition_by: '{field}' is not a published field.");
        }

        rowGroupRows = Math.Max(rowGroupRows, batch.Capacity);
        sourceColumns ??= partSchema.Fields.Select(f => batch.IndexOf(f.Name)).ToArray();
        for (var row = 0; row < batch.Count; row++)
        {
            var key = batch.Get(row, column) ?? "";
            if (!pending.TryGetValue(key, out var rows))
            {
                if (pending.Count >= maxPartitions)
                {
                    throw new PipelineException(
                        $"outputs.partition_by: more than {maxPartitions} distinct values of '{field}' (outputs.max_partitions), each an open file. Partition by a coarser field, or raise the limit. Nothing is published.");
                }

                pending[key] = rows = [];
                firstSeen.Add(key);
            }

            var values = new string?[sourceColumns.Length];
            for (var f = 0; f < values.Length; f++)
            {
                values[f] = batch.Get(row, sourceColumns[f]);
            }

            rows.Add((batch.LineNumber(row), values));
            pendingRows++;
            if (rows.Count == rowGroupRows)
            {
                await FlushAsync(key, cancellationToken); // a full row group, as large as the single file's
            }
        }

        // Rows wait for their partition's row group within a budget of twice a batch: past it, the
        // partitions holding most rows are written first (ties in the order values first appeared),
        // so that a row group is not a batch's few rows of one value but as many as memory allows.
        while (pendingRows > PendingBudget)
        {
            var largest = firstSeen.MaxBy(k => pending[k].Count)!;
            await FlushAsync(largest, cancellationToken);
        }
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        foreach (var key in firstSeen)
        {
            await FlushAsync(key, cancellationToken);
        }

        foreach (var (writer, _) in writers.Values)
        {
            await writer.CompleteAsync(cancellationToken);
        }
    }

    /// <summary>Rows held back across batches, at most: twice a batch (a row group's rows each).</summary>
    private int PendingBudget => 2 * rowGroupRows;

    /// <summary>Writes a partition's waiting rows as one row group (none when it has none).</summary>
    private async Task FlushAsync(string key, CancellationToken cancellationToken)
    {
        var rows = pending[key];
        if (rows.Count == 0)
        {
            return;
        }

        slice ??= new ColumnBatch(partSchema.FieldNames, rowGroupRows);
        slice.Clear();
        foreach (var (line, values) in rows)
        {
            var target = slice.AddRow(line);
            for (var f = 0; f < values.Length; f++)
            {
                slice.Set(target, f, values[f]);
            }
        }

        pendingRows -= rows.Count;
        rows.Clear();
        var writer = await WriterFor(key, cancellationToken);
        await writer.WriteAsync(slice, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (writer, _) in writers.Values)
        {
            await writer.DisposeAsync();
        }
    }

    private async Task<ParquetDatasetWriter> WriterFor(string value, CancellationToken cancellationToken)
    {
        if (writers.TryGetValue(value, out var open))
        {
            return open.Writer;
        }

        var segment = Segment(field, value);

        // Two values must not share a folder: a missing value and the text of Hive's marker, or
        // values that differ only by case (one folder on Windows and macOS file systems).
        if (valueOfFolder.TryGetValue(segment, out var other))
        {
            throw new PipelineException($"outputs.partition_by: the values '{other}' and '{value}' of '{field}' would share the folder '{segment}' (a missing value and Hive's marker, or values that differ only by case, which Windows and macOS file systems do not tell apart). Nothing is published.");
        }

        if (Encoding.UTF8.GetByteCount(segment) > MaxFolderBytes)
        {
            throw new PipelineException($"outputs.partition_by: a value of '{field}' makes a folder name of {Encoding.UTF8.GetByteCount(segment)} bytes, above the {MaxFolderBytes} file systems allow: partition by a field with short values (codes). Nothing is published.");
        }

        valueOfFolder[segment] = value.Length == 0 ? "(missing)" : value;
        var relative = $"{datasetId}/{segment}/{PartFile}";
        var folder = System.IO.Path.Combine(directory, datasetId, segment);
        PrivateFiles.CreateDirectory(folder);
        var partMetadata = new Dictionary<string, string>(metadata) { ["partition"] = segment };
        var writer = await ParquetDatasetWriter.CreateAsync(System.IO.Path.Combine(folder, PartFile), partSchema, partMetadata, cancellationToken, threads);
        writers[value] = (writer, relative);
        return writer;
    }

    /// <summary>
    /// Hive's escaping: an ASCII character other than a letter, a digit, '.', '_' or '-' becomes
    /// %XX (a superset of the characters Hive and Spark escape; every reader decodes %XX), and a
    /// letter, digit or accent beyond ASCII stays as it is (UTF-8 in the name), as Hive and Spark
    /// write it: they decode each %XX as one character, so a UTF-8 sequence spelled in %XX would
    /// read back as mojibake there. Other non-ASCII characters (symbols, spaces, invisible ones)
    /// are spelled as their UTF-8 bytes in %XX: DuckDB and Arrow read them back, Spark may not.
    /// </summary>
    private static string Encode(string value) => Publishing.PublishedFiles.PercentEncode(value, rune => rune.IsAscii
        ? char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '.' or '_' or '-'
        : Rune.IsLetterOrDigit(rune) || Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark);
}

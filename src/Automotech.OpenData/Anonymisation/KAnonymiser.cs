using System.Text;
using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Anonymisation;

/// <summary>
/// Makes the natural persons' published rows k-anonymous over the declared quasi-identifiers.
/// Their rows are held back while the source streams (spilled to a private file, so memory does
/// not grow with the input), then each row is published at the first level where its group of
/// identical quasi-identifier values counts at least k rows: as it is, then after each
/// generalisation step in turn. Rows still in a smaller group after the last step are not
/// published. Groups of different levels never merge: a generalised field's values cannot equal
/// an ungeneralised one's (a département code is not a commune code).
/// </summary>
public sealed class KAnonymiser : IDisposable
{
    private const char Separator = '\u001f';
    private const int GroupPartitions = 16;
    private readonly KAnonymityDefinition definition;
    private readonly Anonymiser anonymiser;
    private readonly IReadOnlyList<string> sourceFields;
    private readonly int[] quasiIdentifiers;
    private readonly string spillPath;
    private readonly int batchSize;
    private BinaryWriter? spill;

    private readonly bool[] kept;
    private readonly Validation.KeyText keyText = new();

    /// <param name="keptFields">The source fields the held rows still need (their rules, the aggregates): the others never reach the disk.</param>
    public KAnonymiser(KAnonymityDefinition definition, Anonymiser anonymiser, IReadOnlyList<string> sourceFields, IReadOnlySet<string> keptFields, string spillDirectory, int batchSize)
    {
        kept = [.. sourceFields.Select(keptFields.Contains)];
        this.definition = definition;
        this.anonymiser = anonymiser;
        this.sourceFields = sourceFields;
        this.batchSize = batchSize;
        quasiIdentifiers = [.. definition.QuasiIdentifiers.Select(q => anonymiser.OutputFields.ToList().IndexOf(q))];
        PrivateFiles.CreateDirectory(spillDirectory);
        spillPath = Path.Combine(spillDirectory, $"personnes-physiques-{Guid.NewGuid():N}.bin");
    }

    public long HeldRows { get; private set; }

    /// <summary>
    /// Takes the natural persons' rows out of <paramref name="output"/> (the published rows of
    /// <paramref name="source"/>, in the same order, some possibly rejected) and keeps their
    /// source rows for <see cref="Release"/>.
    /// </summary>
    public void Hold(ColumnBatch source, ColumnBatch output)
    {
        var removed = new bool[output.Count];
        var any = false;
        var s = 0;
        for (var o = 0; o < output.Count; o++)
        {
            var line = output.LineNumber(o);
            while (source.LineNumber(s) != line)
            {
                if (++s >= source.Count)
                {
                    throw new InvalidOperationException("A published row has no source row in its batch (rows out of order).");
                }
            }

            if (anonymiser.IsNaturalPerson(source, s))
            {
                Write(source, s);
                removed[o] = true;
                any = true;
            }
        }

        if (any)
        {
            output.RemoveRows(removed);
        }
    }

    /// <summary>The held rows, each at its level, in batches; the report is complete after the last one.</summary>
    public IEnumerable<(ColumnBatch Held, ColumnBatch Released)> Release(KAnonymityReport report)
    {
        spill?.Dispose();
        spill = null;
        var levels = definition.Steps.Count + 1;
        var k = definition.K;
        var groups = new Dictionary<UInt128, int>[levels];
        for (var level = 0; level < levels; level++)
        {
            // Count the groups formed at this level by the rows no earlier level could publish.
            // Their digests go to partition files by digest, and each partition is counted on
            // its own: memory holds one partition's groups, then only the groups of k rows or
            // more (the others are never looked up again).
            var counts = groups[level] = [];
            var partitions = new BinaryWriter[GroupPartitions];
            var partitionPaths = new string[GroupPartitions];
            try
            {
                for (var p = 0; p < GroupPartitions; p++)
                {
                    partitionPaths[p] = $"{spillPath}.groups-{level}-{p}";
                    partitions[p] = new BinaryWriter(PrivateFiles.Open(partitionPaths[p], FileMode.Create, FileAccess.Write, FileShare.None, 1 << 14));
                }

                foreach (var batch in ReadSpill())
                {
                    var (resolved, _) = Resolve(batch, groups, level);
                    for (var row = 0; row < batch.Count; row++)
                    {
                        if (resolved[row] < 0)
                        {
                            var key = Key(batch, row, level);
                            var writer = partitions[(int)((ulong)key % GroupPartitions)];
                            writer.Write((ulong)(key >> 64));
                            writer.Write((ulong)key);
                        }
                    }
                }

                for (var p = 0; p < GroupPartitions; p++)
                {
                    partitions[p].Dispose();
                    var partition = new Dictionary<UInt128, int>();
                    using (var reader = new BinaryReader(new FileStream(partitionPaths[p], FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16)))
                    {
                        var length = reader.BaseStream.Length; // once, not per row (it showed in profiles)
                        while (reader.BaseStream.Position < length)
                        {
                            var key = new UInt128(reader.ReadUInt64(), reader.ReadUInt64());
                            partition[key] = partition.GetValueOrDefault(key) + 1;
                        }
                    }

                    foreach (var (group, size) in partition)
                    {
                        if (size >= k)
                        {
                            counts[group] = size;
                        }
                    }
                }
            }
            finally
            {
                foreach (var (writer, path) in partitions.Zip(partitionPaths))
                {
                    writer?.Dispose();
                    if (path is not null)
                    {
                        File.Delete(path);
                    }
                }
            }
        }

        report.K = k;
        report.QuasiIdentifiers = definition.QuasiIdentifiers;
        report.NaturalPersonRows = HeldRows;
        var byLevel = new long[levels];
        var smallest = int.MaxValue;
        var output = new ColumnBatch(anonymiser.OutputFields, batchSize);
        foreach (var batch in ReadSpill())
        {
            var (resolved, keys) = Resolve(batch, groups, levels);
            for (var row = 0; row < batch.Count; row++)
            {
                if (resolved[row] >= 0)
                {
                    byLevel[resolved[row]]++;
                    smallest = Math.Min(smallest, groups[resolved[row]][keys[row]]);
                }
                else
                {
                    report.RowsSuppressed++;
                }
            }

            output.Clear();
            anonymiser.ApplyGeneralised(batch, resolved, output);
            yield return (batch, output);
        }

        report.RowsUnchanged = byLevel[0];
        report.Steps = [.. definition.Steps.Select((s, i) => new GeneralisationCount(s.Id, s.Label, byLevel[i + 1]))];
        report.KReached = smallest == int.MaxValue ? null : smallest;
    }

    /// <summary>
    /// For each row, the first level before <paramref name="upTo"/> whose group has k rows (-1
    /// if none) and its key there. A row's key at a level is computed only when no earlier
    /// level has published it: most rows stop at the first.
    /// </summary>
    private (int[] Levels, UInt128[] Keys) Resolve(ColumnBatch batch, Dictionary<UInt128, int>[] groups, int upTo)
    {
        var levels = new int[batch.Count];
        var keys = new UInt128[batch.Count];
        for (var row = 0; row < batch.Count; row++)
        {
            levels[row] = -1;
            for (var level = 0; level < upTo; level++)
            {
                var key = Key(batch, row, level);
                if (groups[level].GetValueOrDefault(key) >= definition.K)
                {
                    levels[row] = level;
                    keys[row] = key;
                    break;
                }
            }
        }

        return (levels, keys);
    }

    /// <summary>
    /// A 128-bit digest of the quasi-identifier values the row would publish at
    /// <paramref name="level"/> (16 bytes a group instead of the values' text). Only the
    /// quasi-identifiers are computed: the other fields (the pseudonym's HMAC above all) do not
    /// make the key.
    /// </summary>
    private UInt128 Key(ColumnBatch batch, int row, int level)
    {
        keyText.Clear();
        foreach (var field in quasiIdentifiers)
        {
            keyText.Append(anonymiser.Generalised(level, field, batch, row) ?? "\0");
            keyText.Append(Separator);
        }

        return Validation.KeySet.Digest(keyText.Span);
    }

    private void Write(ColumnBatch source, int row)
    {
        spill ??= new BinaryWriter(PrivateFiles.Open(spillPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16), Encoding.UTF8);
        spill.Write(source.LineNumber(row));
        for (var f = 0; f < sourceFields.Count; f++)
        {
            var value = kept[f] ? source.Get(row, f) : null;
            spill.Write(value is not null);
            if (value is not null)
            {
                spill.Write(value);
            }
        }

        HeldRows++;
    }

    private IEnumerable<ColumnBatch> ReadSpill()
    {
        if (!File.Exists(spillPath))
        {
            yield break;
        }

        using var reader = new BinaryReader(new FileStream(spillPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), Encoding.UTF8);
        var batch = new ColumnBatch(sourceFields, batchSize);
        var length = reader.BaseStream.Length; // once, not per row (it showed in profiles)
        while (reader.BaseStream.Position < length)
        {
            var row = batch.AddRow(reader.ReadInt64());
            for (var f = 0; f < sourceFields.Count; f++)
            {
                batch.Set(row, f, reader.ReadBoolean() ? reader.ReadString() : null);
            }

            if (batch.IsFull)
            {
                yield return batch;
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    public void Dispose()
    {
        spill?.Dispose();
        spill = null;
        if (File.Exists(spillPath))
        {
            File.Delete(spillPath);
        }
    }
}

/// <summary>The public account of k-anonymity: counts and rules, never a value.</summary>
public sealed class KAnonymityReport
{
    /// <summary>The k required.</summary>
    public int K { get; set; }

    /// <summary>The smallest group published (≥ K); null when no natural person's row is published.</summary>
    public int? KReached { get; set; }

    public List<string> QuasiIdentifiers { get; set; } = [];

    public long NaturalPersonRows { get; set; }

    /// <summary>Rows published with their natural-person rules only.</summary>
    public long RowsUnchanged { get; set; }

    /// <summary>Rows published after each step (a row counts at the step it stopped at).</summary>
    public List<GeneralisationCount> Steps { get; set; } = [];

    /// <summary>Rows not published: their group stayed below k after every step.</summary>
    public long RowsSuppressed { get; set; }
}

public sealed record GeneralisationCount(string Id, string Label, long Rows);

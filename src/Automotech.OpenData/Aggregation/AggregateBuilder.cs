using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Automotech.OpenData.Anonymisation;
using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Aggregation;

/// <summary>
/// Computes a derived dataset's table (<see cref="AggregateDefinition"/>) from the validated
/// records of its parent pipeline while they stream. Each contribution is spilled to one of a
/// few private partition files by contributor, so that one contributor's records meet in one
/// partition: memory holds one partition's contributors, not the whole input.
/// </summary>
public sealed class AggregateBuilder : IDisposable
{
    private const int Partitions = 64;
    private const int MaxCells = 5000;
    private readonly PipelineDefinition pipeline;
    private readonly AggregateDefinition definition;
    private readonly (int Field, string Value)[] where;
    private readonly (int Field, string Value)[][] countWhere;
    private readonly int[] magnitudes;
    private readonly int contributor;
    private readonly Func<ColumnBatch, int, string?> rowKey;
    private readonly Func<ColumnBatch, int, string?> columnKey;
    private readonly Func<ColumnBatch, int, string?>? rowLabel;
    private readonly Func<ColumnBatch, int, string?>? columnLabel;
    private readonly SortedDictionary<string, string?> rowLabels = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string?> columnLabels = new(StringComparer.Ordinal);
    private readonly string directory;
    private readonly BinaryWriter?[] spills = new BinaryWriter?[Partitions];

    public AggregateBuilder(PipelineDefinition pipeline, IReadOnlyList<string> sourceFields, string spillDirectory)
    {
        this.pipeline = pipeline;
        definition = pipeline.Aggregate ?? throw new PipelineException($"{pipeline.Id}: no 'aggregate' section.");
        int Index(string name) => sourceFields.ToList().IndexOf(name) is var i and >= 0 ? i
            : throw new PipelineException($"{pipeline.Id}: aggregate names '{name}', which is not a source field of {pipeline.Source.From}.");
        where = [.. definition.Where.Select(w => (Index(w.Key), w.Value))];
        countWhere = [.. definition.Counts.Select(c => c.Where.Select(w => (Index(w.Key), w.Value)).ToArray())];
        magnitudes = [.. definition.Magnitudes.Select(m => Index(m.From))];
        contributor = Index(definition.Contributor.From);
        rowKey = Anonymiser.CompileRule(definition.Rows.Rule, sourceFields);
        columnKey = Anonymiser.CompileRule(definition.Columns.Rule, sourceFields);
        rowLabel = definition.Rows.LabelRule is { } rl ? Anonymiser.CompileRule(rl, sourceFields) : null;
        columnLabel = definition.Columns.LabelRule is { } cl ? Anonymiser.CompileRule(cl, sourceFields) : null;
        directory = Path.Combine(spillDirectory, $"{pipeline.Id}-{Guid.NewGuid():N}");
        PrivateFiles.CreateDirectory(directory);
    }

    public PipelineDefinition Pipeline => pipeline;

    /// <summary>Records counted so far.</summary>
    public long Records { get; private set; }

    /// <summary>
    /// Counts the rows of <paramref name="source"/> that were published in <paramref name="output"/>
    /// (same order; rows rejected on output are left out), before any row is held back for k-anonymity.
    /// </summary>
    public void Observe(ColumnBatch source, ColumnBatch output)
    {
        var s = 0;
        for (var o = 0; o < output.Count; o++)
        {
            while (source.LineNumber(s) != output.LineNumber(o))
            {
                if (++s >= source.Count)
                {
                    throw new InvalidOperationException("A published row has no source row in its batch (rows out of order).");
                }
            }

            if (Matches(source, s, where))
            {
                Spill(source, s);
            }
        }
    }

    /// <summary>The published table, in row order: grand total, column totals, then each row's total and cells.</summary>
    public AggregateTable Complete()
    {
        foreach (var spill in spills)
        {
            spill?.Dispose();
        }

        Array.Clear(spills);
        var counts = definition.Counts.Count;
        var sums = definition.Magnitudes.Count;
        var stats = new Dictionary<CellKey, CellStats>();
        for (var p = 0; p < Partitions; p++)
        {
            var path = Path.Combine(directory, $"{p}.bin");
            if (!File.Exists(path))
            {
                continue;
            }

            // One contributor's records are all in this partition: sum them per (contributor, cell)
            // first, then derive its contributions to the margins from its own cells.
            var perContributor = new Dictionary<(string Contributor, string Row, string Column), CellStats>();
            using (var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8))
            {
                while (reader.BaseStream.Position < reader.BaseStream.Length)
                {
                    var row = reader.ReadString();
                    var column = reader.ReadString();
                    var who = reader.ReadString();
                    var flags = reader.ReadInt32();
                    var present = reader.ReadInt32();
                    var values = new long[sums];
                    for (var m = 0; m < sums; m++)
                    {
                        values[m] = reader.ReadInt64();
                    }

                    if (!perContributor.TryGetValue((who, row, column), out var c))
                    {
                        perContributor[(who, row, column)] = c = new CellStats(counts, sums);
                    }

                    c.Add(flags, present, values);
                }
            }

            foreach (var contributor in perContributor.GroupBy(e => e.Key.Contributor, StringComparer.Ordinal))
            {
                var margins = new Dictionary<CellKey, CellStats>();
                foreach (var ((_, row, column), c) in contributor)
                {
                    Merge(stats, new CellKey(row, column), c);
                    foreach (var margin in new[] { new CellKey(row, null), new CellKey(null, column), new CellKey(null, null) })
                    {
                        if (!margins.TryGetValue(margin, out var m))
                        {
                            margins[margin] = m = new CellStats(counts, sums);
                        }

                        m.Combine(c);
                    }
                }

                foreach (var (margin, m) in margins)
                {
                    Merge(stats, margin, m);
                }
            }
        }

        // The secret's elimination is dense (cells × lines): a table this large is a definition mistake.
        if (stats.Count > MaxCells)
        {
            throw new PipelineException($"{pipeline.Id}: the aggregate has {stats.Count} cells, more than the {MaxCells} the statistical secret is computed for; choose coarser rows or columns.");
        }

        var table = new AggregateTable(definition, rowLabels, columnLabels, stats);
        for (var m = 0; m < sums; m++)
        {
            // A cell without any declared value is "not available": it protects nothing and is never a complement.
            var unavailable = stats.Where(s => s.Value.Declared[m] == 0).Select(s => s.Key).ToHashSet();
            var primary = stats.Where(s => !unavailable.Contains(s.Key) && IsPrimarySecret(s.Value, m)).Select(s => s.Key).ToHashSet();
            table.Status[m] = SecretTable.Protect(stats.ToDictionary(s => s.Key, s => s.Value.Sums[m]), primary, unavailable);
        }

        return table;
    }

    private void Merge(Dictionary<CellKey, CellStats> stats, CellKey cell, CellStats contribution)
    {
        if (!stats.TryGetValue(cell, out var total))
        {
            stats[cell] = total = new CellStats(definition.Counts.Count, definition.Magnitudes.Count);
        }

        total.Merge(contribution);
    }

    // Only enterprises that declared a value count: with two declaring among three, each of the
    // two would learn the other's value by subtracting its own.
    private bool IsPrimarySecret(CellStats cell, int magnitude) =>
        cell.Declared[magnitude] < definition.Secret.MinContributors
        || (cell.Sums[magnitude] > 0 && cell.Largest[magnitude] > definition.Secret.DominanceShare * cell.Sums[magnitude]);

    private void Spill(ColumnBatch source, int row)
    {
        var r = rowKey(source, row) ?? "";
        var c = columnKey(source, row) ?? "";
        if (!rowLabels.ContainsKey(r))
        {
            rowLabels[r] = rowLabel?.Invoke(source, row);
        }

        if (!columnLabels.ContainsKey(c))
        {
            columnLabels[c] = columnLabel?.Invoke(source, row);
        }

        var who = source.Get(row, contributor) ?? $"ligne-{source.LineNumber(row)}";
        if (definition.Contributor.Length > 0 && who.Length > definition.Contributor.Length)
        {
            who = who[..definition.Contributor.Length];
        }

        var partition = (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(who)) % Partitions);
        var spill = spills[partition] ??= new BinaryWriter(PrivateFiles.Open(Path.Combine(directory, $"{partition}.bin"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 14), Encoding.UTF8);
        spill.Write(r);
        spill.Write(c);
        spill.Write(who);
        var flags = 0;
        for (var k = 0; k < countWhere.Length; k++)
        {
            if (Matches(source, row, countWhere[k]))
            {
                flags |= 1 << k;
            }
        }

        spill.Write(flags);
        var present = 0;
        for (var m = 0; m < magnitudes.Length; m++)
        {
            present |= source.Get(row, magnitudes[m]) is null ? 0 : 1 << m;
        }

        spill.Write(present);
        foreach (var field in magnitudes)
        {
            var value = source.Get(row, field);
            spill.Write(value is null ? 0L : (long)decimal.Parse(value, CultureInfo.InvariantCulture));
        }

        Records++;
    }

    private static bool Matches(ColumnBatch source, int row, (int Field, string Value)[] conditions)
    {
        foreach (var (field, value) in conditions)
        {
            if (!string.Equals(source.Get(row, field), value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public void Dispose()
    {
        foreach (var spill in spills)
        {
            spill?.Dispose();
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

/// <summary>Counts, sums, and each sum's largest single contribution, of one cell.</summary>
public sealed class CellStats(int counts, int sums)
{
    public long Contributors { get; private set; }

    public long[] Counts { get; } = new long[counts];

    public long[] Sums { get; } = new long[sums];

    public long[] Largest { get; } = new long[sums];

    /// <summary>Contributors who declared a value, per magnitude (missing values count as nothing).</summary>
    public long[] Declared { get; } = new long[sums];

    /// <summary>Adds one record of the same contributor.</summary>
    public void Add(int flags, int present, long[] values)
    {
        Contributors = 1;
        for (var m = 0; m < Declared.Length; m++)
        {
            Declared[m] = Math.Max(Declared[m], (present >> m) & 1);
        }

        for (var k = 0; k < Counts.Length; k++)
        {
            Counts[k] += (flags >> k) & 1;
        }

        for (var m = 0; m < Sums.Length; m++)
        {
            Sums[m] += values[m];
            Largest[m] = Sums[m];
        }
    }

    /// <summary>Adds another cell of the same contributor (its contribution to a margin).</summary>
    public void Combine(CellStats sameContributor)
    {
        Contributors = 1;
        for (var k = 0; k < Counts.Length; k++)
        {
            Counts[k] += sameContributor.Counts[k];
        }

        for (var m = 0; m < Sums.Length; m++)
        {
            Declared[m] = Math.Max(Declared[m], sameContributor.Declared[m]);
            Sums[m] += sameContributor.Sums[m];
            Largest[m] = Sums[m];
        }
    }

    /// <summary>Adds another contributor's whole contribution.</summary>
    public void Merge(CellStats other)
    {
        Contributors += other.Contributors;
        for (var m = 0; m < Declared.Length; m++)
        {
            Declared[m] += other.Declared[m];
        }

        for (var k = 0; k < Counts.Length; k++)
        {
            Counts[k] += other.Counts[k];
        }

        for (var m = 0; m < Sums.Length; m++)
        {
            Sums[m] += other.Sums[m];
            Largest[m] = Math.Max(Largest[m], other.Sums[m]);
        }
    }
}

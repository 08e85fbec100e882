using System.Globalization;

namespace Automotech.OpenData.Aggregation;

/// <summary>A computed aggregate: every cell's figures and, per magnitude, every cell's status.</summary>
public sealed class AggregateTable(
    AggregateDefinition definition,
    IReadOnlyDictionary<string, string?> rowLabels,
    IReadOnlyDictionary<string, string?> columnLabels,
    IReadOnlyDictionary<CellKey, CellStats> stats)
{
    public IReadOnlyDictionary<CellKey, CellStats> Cells => stats;

    /// <summary>Per magnitude (declaration order): each cell's status.</summary>
    public Dictionary<CellKey, string>[] Status { get; } = new Dictionary<CellKey, string>[definition.Magnitudes.Count];

    /// <summary>Cells in publication order: grand total, column totals, then each row's total followed by its cells.</summary>
    public IEnumerable<CellKey> Order()
    {
        var rows = stats.Keys.Where(c => c.Row is not null).Select(c => c.Row!).Distinct().Order(StringComparer.Ordinal).ToList();
        var columns = stats.Keys.Where(c => c.Column is not null).Select(c => c.Column!).Distinct().Order(StringComparer.Ordinal).ToList();
        yield return new CellKey(null, null);
        foreach (var column in columns)
        {
            yield return new CellKey(null, column);
        }

        foreach (var row in rows)
        {
            yield return new CellKey(row, null);
            foreach (var column in columns.Where(c => stats.ContainsKey(new CellKey(row, c))))
            {
                yield return new CellKey(row, column);
            }
        }
    }

    /// <summary>The published rows, field by field in <paramref name="fields"/> order.</summary>
    public void Fill(ColumnBatch output, IReadOnlyList<string> fields)
    {
        var line = 0L;
        foreach (var cell in Order())
        {
            var row = output.AddRow(++line);
            var c = stats[cell];
            var values = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                [definition.LevelField] = (cell.Row, cell.Column) switch
                {
                    (null, null) => definition.Levels.GrandTotal,
                    (null, _) => definition.Levels.ColumnTotal,
                    (_, null) => definition.Levels.RowTotal,
                    _ => definition.Levels.Cell,
                },
                [definition.Rows.Field] = cell.Row,
                [definition.Columns.Field] = cell.Column,
            };
            if (definition.Rows.LabelField is { } rowLabel)
            {
                values[rowLabel] = cell.Row is null ? null : rowLabels.GetValueOrDefault(cell.Row);
            }

            if (definition.Columns.LabelField is { } columnLabel)
            {
                values[columnLabel] = cell.Column is null ? null : columnLabels.GetValueOrDefault(cell.Column);
            }

            for (var k = 0; k < definition.Counts.Count; k++)
            {
                values[definition.Counts[k].Field] = c.Counts[k].ToString(CultureInfo.InvariantCulture);
            }

            for (var m = 0; m < definition.Magnitudes.Count; m++)
            {
                var status = Status[m][cell];
                values[definition.Magnitudes[m].Status] = status;
                values[definition.Magnitudes[m].Field] = status == SecretTable.Published ? c.Sums[m].ToString(CultureInfo.InvariantCulture) : null;
            }

            for (var f = 0; f < fields.Count; f++)
            {
                output.Set(row, f, values.GetValueOrDefault(fields[f]));
            }
        }
    }

    /// <summary>The public account: cells per status, per magnitude; never a value.</summary>
    public SecretReport Report() => new()
    {
        MinContributors = definition.Secret.MinContributors,
        DominanceShare = definition.Secret.DominanceShare,
        Cells = stats.Count,
        Magnitudes = [.. definition.Magnitudes.Select((m, i) => new SecretCount(
            m.Field,
            Status[i].Count(s => s.Value == SecretTable.Primary),
            Status[i].Count(s => s.Value == SecretTable.Secondary)))],
    };
}

/// <summary>The public account of statistical secret.</summary>
public sealed class SecretReport
{
    public int MinContributors { get; init; }

    public double DominanceShare { get; init; }

    public int Cells { get; init; }

    public List<SecretCount> Magnitudes { get; init; } = [];
}

public sealed record SecretCount(string Field, int Primary, int Secondary);

namespace Automotech.OpenData.Aggregation;

/// <summary>One published cell of a two-dimensional table with its margins: (row, column), (row, *), (*, column) or (*, *).</summary>
public readonly record struct CellKey(string? Row, string? Column)
{
    public bool IsTotal => Row is null || Column is null;
}

/// <summary>
/// The statistical secret of one magnitude over a table with margins, as INSEE applies it to
/// business statistics. Primary secret: a cell with fewer than <c>min_contributors</c>
/// contributors, or where one contributor holds more than <c>dominance_share</c> of the total.
/// Secondary secret: more cells are suppressed until no suppressed cell can be recomputed from
/// the published ones — first until no line of the table (a row or column with its total) has
/// exactly one suppressed cell, each time suppressing the line's smallest published cell; then
/// until no suppressed cell is determined by any combination of the lines (Gaussian elimination).
/// </summary>
public static class SecretTable
{
    public const string Published = "publie";
    public const string Primary = "secret-primaire";
    public const string Secondary = "secret-secondaire";
    public const string Unavailable = "non-disponible";

    /// <summary>The lines of the table: each is a set of cells whose inner cells sum to its total (the last member).</summary>
    public static List<CellKey[]> Lines(IEnumerable<CellKey> cells)
    {
        var inner = cells.Where(c => !c.IsTotal).ToList();
        var rows = inner.Select(c => c.Row!).Distinct().Order(StringComparer.Ordinal).ToList();
        var columns = inner.Select(c => c.Column!).Distinct().Order(StringComparer.Ordinal).ToList();
        var lines = new List<CellKey[]>();
        foreach (var row in rows)
        {
            lines.Add([.. inner.Where(c => c.Row == row).OrderBy(c => c.Column, StringComparer.Ordinal), new CellKey(row, null)]);
        }

        foreach (var column in columns)
        {
            lines.Add([.. inner.Where(c => c.Column == column).OrderBy(c => c.Row, StringComparer.Ordinal), new CellKey(null, column)]);
        }

        if (rows.Count > 0)
        {
            lines.Add([.. rows.Select(r => new CellKey(r, null)), new CellKey(null, null)]);
            lines.Add([.. columns.Select(c => new CellKey(null, c)), new CellKey(null, null)]);
        }

        return lines;
    }

    /// <summary>
    /// The status of every cell. <paramref name="values"/> holds every cell's total (inner cells
    /// and margins); <paramref name="primary"/> the cells under primary secret;
    /// <paramref name="unavailable"/> the cells without any declared value (known to add nothing,
    /// so never chosen as a complement).
    /// </summary>
    public static Dictionary<CellKey, string> Protect(IReadOnlyDictionary<CellKey, long> values, IReadOnlySet<CellKey> primary, IReadOnlySet<CellKey>? unavailable = null)
    {
        unavailable ??= new HashSet<CellKey>();
        var status = values.Keys.ToDictionary(c => c, c => primary.Contains(c) ? Primary : unavailable.Contains(c) ? Unavailable : Published);
        var lines = Lines(values.Keys);
        bool Suppressed(CellKey c) => status[c] is Primary or Secondary;
        void SuppressSmallest(IEnumerable<CellKey[]> candidateLines)
        {
            // The smallest published cell of these lines (inner cells before totals at equal value), deterministically.
            // A cell worth 0 protects nothing (values are never negative): never a complement.
            var pick = candidateLines.SelectMany(l => l).Where(c => status[c] == Published && values[c] > 0).Distinct()
                .OrderBy(c => values[c]).ThenBy(c => c.IsTotal).ThenBy(c => c.Row ?? "", StringComparer.Ordinal).ThenBy(c => c.Column ?? "", StringComparer.Ordinal)
                .Cast<CellKey?>().FirstOrDefault();
            if (pick is { } cell)
            {
                status[cell] = Secondary;
            }
        }

        while (true)
        {
            // (A line whose other cells are all unavailable leaves its cell determined: the check below handles it.)
            // A line with one secret cell gives it by subtraction; a line whose secret cells sum to 0
            // gives them all (none can be negative).
            var single = lines.FirstOrDefault(l => l.Any(Suppressed) && (l.Count(Suppressed) == 1 || l.Where(Suppressed).Sum(c => values[c]) == 0)
                && l.Any(c => status[c] == Published && values[c] > 0));
            if (single is not null)
            {
                SuppressSmallest([single]);
                continue;
            }

            var determined = Determined(lines, status.Keys.Where(Suppressed).ToHashSet());
            if (determined.Count == 0)
            {
                return status;
            }

            var cell = determined.OrderBy(c => c.Row ?? "", StringComparer.Ordinal).ThenBy(c => c.Column ?? "", StringComparer.Ordinal).First();
            var before = status.Count(s => Suppressed(s.Key));
            SuppressSmallest(lines.Where(l => l.Contains(cell)));
            if (status.Count(s => Suppressed(s.Key)) == before)
            {
                throw new PipelineException($"statistical secret: no published cell is left to protect cell ({cell.Row ?? "total"}, {cell.Column ?? "total"}); nothing is published.");
            }
        }
    }

    /// <summary>
    /// The suppressed cells whose value follows from the published ones: x is determined when the
    /// unit vector of x lies in the row space of the lines' equations over the suppressed cells.
    /// </summary>
    public static HashSet<CellKey> Determined(IReadOnlyList<CellKey[]> lines, IReadOnlySet<CellKey> suppressed)
    {
        var unknowns = suppressed.OrderBy(c => c.Row ?? "", StringComparer.Ordinal).ThenBy(c => c.Column ?? "", StringComparer.Ordinal).ToList();
        var index = unknowns.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var matrix = new List<double[]>();
        foreach (var line in lines)
        {
            var equation = new double[unknowns.Count];
            var any = false;
            for (var m = 0; m < line.Length; m++)
            {
                if (index.TryGetValue(line[m], out var i))
                {
                    equation[i] = m == line.Length - 1 ? -1 : 1;
                    any = true;
                }
            }

            if (any)
            {
                matrix.Add(equation);
            }
        }

        // Reduced row echelon form.
        var pivots = new List<(int Row, int Column)>();
        var r = 0;
        for (var c = 0; c < unknowns.Count && r < matrix.Count; c++)
        {
            var best = Enumerable.Range(r, matrix.Count - r).MaxBy(i => Math.Abs(matrix[i][c]));
            if (Math.Abs(matrix[best][c]) < 1e-9)
            {
                continue;
            }

            (matrix[r], matrix[best]) = (matrix[best], matrix[r]);
            var pivot = matrix[r][c];
            for (var j = 0; j < unknowns.Count; j++)
            {
                matrix[r][j] /= pivot;
            }

            for (var i = 0; i < matrix.Count; i++)
            {
                if (i != r && Math.Abs(matrix[i][c]) > 1e-12)
                {
                    var factor = matrix[i][c];
                    for (var j = 0; j < unknowns.Count; j++)
                    {
                        matrix[i][j] -= factor * matrix[r][j];
                    }
                }
            }

            pivots.Add((r, c));
            r++;
        }

        var determined = new HashSet<CellKey>();
        foreach (var (row, column) in pivots)
        {
            var alone = true;
            for (var j = 0; j < unknowns.Count && alone; j++)
            {
                alone = j == column || Math.Abs(matrix[row][j]) < 1e-9;
            }

            if (alone)
            {
                determined.Add(unknowns[column]);
            }
        }

        return determined;
    }
}

using Automotech.OpenData.Aggregation;
using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Tests.Aggregation;

public sealed class SecretTableTests
{
    private static CellKey C(string? row, string? column) => new(row, column);

    /// <summary>A 2 × 3 table with its margins: A = 10 20 30 | 60, B = 5 50 7 | 62; columns 15 70 37; total 122.</summary>
    private static Dictionary<CellKey, long> Table() => new()
    {
        [C("A", "x")] = 10, [C("A", "y")] = 20, [C("A", "z")] = 30, [C("A", null)] = 60,
        [C("B", "x")] = 5, [C("B", "y")] = 50, [C("B", "z")] = 7, [C("B", null)] = 62,
        [C(null, "x")] = 15, [C(null, "y")] = 70, [C(null, "z")] = 37, [C(null, null)] = 122,
    };

    [Fact]
    public void One_primary_cell_gets_the_smallest_complements_until_no_line_has_a_single_secret()
    {
        var status = SecretTable.Protect(Table(), new HashSet<CellKey> { C("A", "x") });

        // Line by line, each time the smallest published cell of the first line with one secret:
        // row A → A,y (20); column x → B,x (5); row B → B,z (7); column y → B,y (50 < 70);
        // column z → A,z (30 < 37). Then every row and column hides two or three cells.
        var secondary = status.Where(s => s.Value == SecretTable.Secondary).Select(s => s.Key).ToHashSet();
        Assert.Equal(new HashSet<CellKey> { C("A", "y"), C("B", "x"), C("B", "z"), C("B", "y"), C("A", "z") }, secondary);
        Assert.Equal(SecretTable.Primary, status[C("A", "x")]);
        Assert.Equal(6, status.Count(s => s.Value == SecretTable.Published));
        Assert.Empty(SecretTable.Determined(SecretTable.Lines(Table().Keys), status.Where(s => s.Value != SecretTable.Published).Select(s => s.Key).ToHashSet()));
    }

    [Fact]
    public void Without_secondary_secret_the_primary_cell_is_recomputed_by_subtraction()
    {
        var lines = SecretTable.Lines(Table().Keys);
        Assert.Equal([C("A", "x")], SecretTable.Determined(lines, new HashSet<CellKey> { C("A", "x") }));
    }

    [Fact]
    public void A_cell_reachable_only_through_a_chain_of_lines_is_found_determined()
    {
        // Suppressing A,x and A,y leaves row A safe, but column x alone gives A,x, then row A gives A,y.
        var lines = SecretTable.Lines(Table().Keys);
        var determined = SecretTable.Determined(lines, new HashSet<CellKey> { C("A", "x"), C("A", "y") });
        Assert.Equal(new HashSet<CellKey> { C("A", "x"), C("A", "y") }, determined);
    }

    [Fact]
    public void A_primary_margin_is_protected_too()
    {
        var status = SecretTable.Protect(Table(), new HashSet<CellKey> { C("B", null) });
        var suppressed = status.Where(s => s.Value != SecretTable.Published).Select(s => s.Key).ToHashSet();
        Assert.Contains(C("B", null), suppressed);
        Assert.True(suppressed.Count >= 4, "a row total needs a cell of its own row and another total hidden with it");
        Assert.Empty(SecretTable.Determined(SecretTable.Lines(Table().Keys), suppressed));
    }

    [Fact]
    public void A_cell_no_single_line_gives_away_but_a_combination_of_lines_does_is_protected()
    {
        // A 4 × 4 table whose primary cells are two 2 × 2 rectangles (A,B × x,y and C,D × z,w) and
        // A,z between them. Every line then hides two cells or more, so the line-by-line rule finds
        // nothing; yet rows B and columns x, y give A,x + A,y, and row A then gives A,z. Only the
        // elimination over all lines sees it.
        string[] rows = ["A", "B", "C", "D"], columns = ["w", "x", "y", "z"];
        var values = new Dictionary<CellKey, long>();
        foreach (var (row, r) in rows.Select((row, r) => (row, r)))
        {
            foreach (var (column, c) in columns.Select((column, c) => (column, c)))
            {
                values[C(row, column)] = 10 + (4 * r) + c;
            }
        }

        foreach (var row in rows)
        {
            values[C(row, null)] = columns.Sum(c => values[C(row, c)]);
        }

        foreach (var column in columns)
        {
            values[C(null, column)] = rows.Sum(r => values[C(r, column)]);
        }

        values[C(null, null)] = rows.Sum(r => values[C(r, null)]);
        var primary = new HashSet<CellKey> { C("A", "x"), C("A", "y"), C("B", "x"), C("B", "y"), C("C", "z"), C("C", "w"), C("D", "z"), C("D", "w"), C("A", "z") };
        var lines = SecretTable.Lines(values.Keys);
        Assert.All(lines, l => Assert.NotEqual(1, l.Count(primary.Contains)));
        Assert.Equal([C("A", "z")], SecretTable.Determined(lines, primary));

        var status = SecretTable.Protect(values, primary);
        var suppressed = status.Where(s => s.Value is SecretTable.Primary or SecretTable.Secondary).Select(s => s.Key).ToHashSet();
        Assert.Contains(status.Values, s => s == SecretTable.Secondary);
        Assert.Empty(SecretTable.Determined(lines, suppressed));
    }

    [Fact]
    public void Unavailable_cells_are_never_chosen_as_complements()
    {
        var values = Table();
        var status = SecretTable.Protect(values, new HashSet<CellKey> { C("A", "x") }, new HashSet<CellKey> { C("B", "x") });
        Assert.Equal(SecretTable.Unavailable, status[C("B", "x")]);
        // Column x can no longer hide A,x with B,x: its total goes instead.
        Assert.Equal(SecretTable.Secondary, status[C(null, "x")]);
        Assert.Empty(SecretTable.Determined(SecretTable.Lines(values.Keys), status.Where(s => s.Value is SecretTable.Primary or SecretTable.Secondary).Select(s => s.Key).ToHashSet()));
    }

    private static readonly string[] Fields = ["siret", "departement", "type", "effectif", "ca", "adherent"];

    private static PipelineDefinition Definition() => new()
    {
        Id = "test-chiffres",
        Source = new SourceDefinition { Kind = "derived", From = "test" },
        Aggregate = new AggregateDefinition
        {
            Where = new() { ["adherent"] = "oui" },
            Contributor = new ContributorDefinition { From = "siret", Length = 9 },
            Rows = new DimensionDefinition { Field = "dep", Rule = new FieldRule { From = "departement" } },
            Columns = new DimensionDefinition { Field = "type", Rule = new FieldRule { From = "type" } },
            Counts = [new CountDefinition { Field = "n" }],
            Magnitudes =
            [
                new MagnitudeDefinition { Field = "effectif_total", From = "effectif", Status = "statut_effectif" },
                new MagnitudeDefinition { Field = "ca_total", From = "ca", Status = "statut_ca" },
            ],
        },
    };

    [Fact]
    public void Primary_secret_follows_INSEE_rules_with_enterprises_as_contributors()
    {
        var rows = new (string Siret, string Dep, string Type, string? Effectif, string? Ca, string Adherent)[]
        {
            // 31 pme: 3 enterprises of 10 → published.
            ("11111111100011", "31", "pme", "10", "1000", "oui"), ("22222222200011", "31", "pme", "10", "1000", "oui"), ("33333333300011", "31", "pme", "10", "1000", "oui"),
            // 31 eti: 100 of 110 (90.9 %) → dominance.
            ("44444444400011", "31", "eti", "100", "5000", "oui"), ("55555555500011", "31", "eti", "5", "5000", "oui"), ("66666666600011", "31", "eti", "5", "5000", "oui"),
            // 32 pme: three establishments, but two of one enterprise → 2 contributors.
            ("77777777700011", "32", "pme", "4", "100", "oui"), ("77777777700029", "32", "pme", "4", "100", "oui"), ("88888888800011", "32", "pme", "4", "100", "oui"),
            // 32 eti: 84 of 100 (84 %) → published; revenue undeclared everywhere → not available.
            ("99999999900011", "32", "eti", "84", null, "oui"), ("12121212100011", "32", "eti", "8", null, "oui"), ("13131313100011", "32", "eti", "8", null, "oui"),
            // Not a member: not counted.
            ("14141414100011", "32", "eti", "5000", "5", "non"),
        };
        var batch = new ColumnBatch(Fields, rows.Length);
        foreach (var r in rows)
        {
            var i = batch.AddRow(batch.Count + 2);
            string?[] values = [r.Siret, r.Dep, r.Type, r.Effectif, r.Ca, r.Adherent];
            for (var f = 0; f < values.Length; f++)
            {
                batch.Set(i, f, values[f]);
            }
        }

        using var temp = new TempFolder();
        using var builder = new AggregateBuilder(Definition(), Fields, temp.Path);
        builder.Observe(batch, batch);
        var table = builder.Complete();

        Assert.Equal(12, builder.Records);
        var effectif = table.Status[0];
        Assert.Equal(
            new HashSet<CellKey> { C("31", "eti"), C("32", "pme") }, // dominance; two enterprises (the 84 % cell and every margin pass)
            effectif.Where(s => s.Value == SecretTable.Primary).Select(s => s.Key).ToHashSet());
        Assert.Equal(2, table.Cells[C("32", "pme")].Contributors);
        Assert.Equal(3, table.Cells[C("32", "pme")].Counts[0]); // establishments are counted, enterprises protect
        Assert.Equal(100, table.Cells[C("32", "eti")].Sums[0]);
        Assert.Equal(84, table.Cells[C("32", "eti")].Largest[0]);
        Assert.Equal(SecretTable.Secondary, effectif[C("31", "pme")]); // row 31's only other cell
        Assert.Equal(SecretTable.Secondary, effectif[C("32", "eti")]); // row 32's only other cell
        Assert.Equal(SecretTable.Unavailable, table.Status[1][C("32", "eti")]);
        Assert.Empty(SecretTable.Determined(SecretTable.Lines(table.Cells.Keys), effectif.Where(s => s.Value is SecretTable.Primary or SecretTable.Secondary).Select(s => s.Key).ToHashSet()));

        // Published rows: a secret value is empty, never 0, with its status.
        var output = new ColumnBatch(["niveau", "dep", "type", "n", "effectif_total", "statut_effectif", "ca_total", "statut_ca"], 32);
        table.Fill(output, output.FieldNames);
        var dominated = Enumerable.Range(0, output.Count).Single(r => output.Get(r, 1) == "31" && output.Get(r, 2) == "eti");
        Assert.Null(output.Get(dominated, 4));
        Assert.Equal(SecretTable.Primary, output.Get(dominated, 5));
        Assert.Equal("cellule", output.Get(dominated, 0));
        Assert.Equal("total", output.Get(0, 0));
        Assert.Equal("12", output.Get(0, 3));
    }
}

using System.Text.Json.Nodes;
using Automotech.OpenData.DemoData;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Reference;
using Automotech.OpenData.Sources;
using Automotech.OpenData.Validation;
using Microsoft.Extensions.Logging.Abstractions;

namespace Automotech.OpenData.Tests.Sirene;

/// <summary>enrich.sirene on a copy of the acteurs pipeline, with the bundled fictional CRM export.</summary>
public class SireneEnrichmentTests
{
    private static readonly DateTimeOffset RunTime = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <summary>SIRETs of the demo CRM export that publish as themselves (companies, diffusion O, valid rows).</summary>
    private static List<string> PlainSirets() =>
        DuckDb.Query($"SELECT siret FROM read_csv({DuckDb.Quote(Repo.DemoSource)}, all_varchar = true) WHERE statut_diffusion = 'O' AND categorie_juridique NOT LIKE '1%' AND code_commune <> '31999' ORDER BY id_crm LIMIT 40")
            .Select(r => (string)r[0]!).ToList();

    internal static string ActeursWithEnrichment(TempFolder temp, string sirenePath, string restrict = "restrict: statut_diffusion", string limits = "")
    {
        var source = Path.Combine(Repo.Pipelines, "acteurs");
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "schema.json")))!;
        var fields = schema["fields"]!.AsArray();
        fields.Add(new JsonObject { ["name"] = "etat_administratif", ["type"] = "string", ["constraints"] = new JsonObject { ["enum"] = new JsonArray("A", "F") } });
        fields.Add(new JsonObject { ["name"] = "tranche_effectif_sirene", ["type"] = "string" });
        temp.File("acteurs/schema.json", schema.ToJsonString());
        var yaml = File.ReadAllText(Path.Combine(source, "pipeline.yaml"))
            .Replace("  date_mise_a_jour: { from: date_maj, natural_person: { drop: true } }", "  date_mise_a_jour: { from: date_maj, natural_person: { drop: true } }\n  etat_administratif: { from: etat_administratif, natural_person: { drop: true } }\n  tranche_effectif_sirene: { from: tranche_effectif_sirene, natural_person: { drop: true } }", StringComparison.Ordinal)
            + $$"""

            enrich:
              sirene:
                path: {{sirenePath}}
                siret: siret
                {{restrict}}
                {{limits}}
                fields: { etat_administratif: etatAdministratifEtablissement, tranche_effectif_sirene: trancheEffectifsEtablissement }
            """;
        temp.File("acteurs/pipeline.yaml", yaml);
        return temp.Combine("acteurs");
    }

    [Fact]
    public async Task Closed_flag_band_and_restricted_diffusion_are_joined_by_siret()
    {
        using var temp = new TempFolder();
        var sirets = PlainSirets();
        var (closed, restricted, open, elsewhere) = (sirets[0], sirets[1], sirets[2], sirets[3]);
        // INSEE's column names in another order, with a column this code does not know.
        var sirene = temp.File("stock.csv",
            "etatAdministratifEtablissement,siret,colonneFuture,trancheEffectifsEtablissement,statutDiffusionEtablissement,codeCommuneEtablissement\n"
            + $"F,{closed},x,12,O,31555\n"
            + $"A,{restricted},x,03,P,31555\n"
            + $"A,{open},x,21,O,34172\n"
            + $"F,{elsewhere},x,53,O,75108\n"); // outside the region: not indexed, so not joined
        var pipeline = PipelineLoader.Load(ActeursWithEnrichment(temp, sirene));
        var output = temp.Combine("out");
        var options = new RunOptions { SourceOverride = Repo.DemoSource, AnonymisationKey = new string('k', 40), QuarantineDirectory = temp.Combine("q") };

        var build = await new DatasetBuilder(options, NullLogger.Instance).BuildAsync(pipeline, "test", RunTime, output, CancellationToken.None);

        var rows = DuckDb.Query($"SELECT identifiant, nom, etat_administratif, tranche_effectif_sirene FROM read_csv({DuckDb.Quote(Path.Combine(output, "acteurs.csv"))}, all_varchar = true)")
            .ToDictionary(r => (string)r[0]!, r => (Nom: (string?)r[1], Etat: (string?)r[2], Band: (string?)r[3]));
        Assert.Equal(("F", "12"), (rows[closed].Etat, rows[closed].Band));
        Assert.Equal(("A", "21"), (rows[open].Etat, rows[open].Band));
        Assert.Equal((null, null), (rows[elsewhere].Etat, rows[elsewhere].Band));
        Assert.Equal(build.Validation.RowsPublished, rows.Count);

        // P in Sirene wins over the CRM's O: the row is a natural person's (13 with the demo's 12),
        // so never under its SIRET; alone in its group, k-anonymity then withholds it.
        Assert.False(rows.ContainsKey(restricted));
        Assert.Equal(13, build.Privacy.NaturalPersonRows);
        Assert.DoesNotContain(rows.Values, r => r.Etat == "A" && r.Band == "03");
    }

    /// <summary>The rows of the enriched source, read through <see cref="SireneEnrichment.Wrap"/>, the source holding only SIRETs and the CRM's "O".</summary>
    private static Task<List<Dictionary<string, string?>>> Enrich(TempFolder temp, string sirene, params string[] sirets) =>
        Enrich(PipelineLoader.Load(ActeursWithEnrichment(temp, sirene)), sirets);

    private static async Task<List<Dictionary<string, string?>>> Enrich(PipelineDefinition pipeline, params string[] sirets)
    {
        var names = pipeline.Source.Schema.FieldNames.ToList();
        var batch = new ColumnBatch(names, sirets.Length);
        foreach (var siret in sirets)
        {
            var row = batch.AddRow(batch.Count + 2);
            batch.Set(row, names.IndexOf("siret"), siret);
            batch.Set(row, names.IndexOf("statut_diffusion"), "O");
        }

        var source = SireneEnrichment.Wrap(pipeline, new BatchSource(batch), new RunOptions { BatchSize = 100 });
        var rows = new List<Dictionary<string, string?>>();
        await foreach (var read in source.ReadAsync(new RejectList(), CancellationToken.None))
        {
            for (var r = 0; r < read.Count; r++)
            {
                rows.Add(read.FieldNames.Select((n, f) => (n, f)).ToDictionary(x => x.n, x => read.Get(r, x.f)));
            }
        }

        return rows;
    }

    [Theory]
    [InlineData("", "P")]
    [InlineData("p", "P")]
    [InlineData("[ND]", "P")]
    [InlineData("X", "P")]
    [InlineData("N", "P")]
    [InlineData("P", "P")]
    [InlineData("O", "O")]
    public async Task Any_Sirene_diffusion_status_but_exactly_O_restricts_the_row(string status, string expected)
    {
        using var temp = new TempFolder();
        var siret = PlainSirets()[0];
        var sirene = temp.File("stock.csv",
            "siret,codeCommuneEtablissement,etatAdministratifEtablissement,trancheEffectifsEtablissement,statutDiffusionEtablissement\n"
            + $"{siret},31555,A,12,\"{status}\"\n");

        var row = Assert.Single(await Enrich(temp, sirene, siret));
        Assert.Equal(expected, row["statut_diffusion"]); // the CRM said O; anything but Sirene's O wins

        var index = SireneIndex.Load(sirene, "76", new SireneEnrichLimits(), CancellationToken.None);
        Assert.True(index.TryGet(SireneStock.SiretKey(siret), out var state));
        Assert.Equal(expected, SireneIndex.Decode(state, 2)); // a joined statutDiffusionEtablissement reads O or P only
    }

    [Theory]
    [InlineData("F,{0},12,P,31555,x", 4, 5, "extra-cell")] // a stray comma, in the region
    [InlineData("F,{0},P,75108", 4, 5, "missing-cell")] // a lost cell, elsewhere
    public async Task A_Sirene_row_with_shifted_cells_stops_the_run_with_its_line(string shifted, int line, int cells, string type)
    {
        using var temp = new TempFolder();
        var sirets = PlainSirets();
        var sirene = temp.File("stock.csv",
            "etatAdministratifEtablissement,siret,trancheEffectifsEtablissement,statutDiffusionEtablissement,codeCommuneEtablissement\n"
            + $"A,{sirets[0]},03,O,31555\n"
            + $"A,{sirets[1]},03,O,75108\n"
            + string.Format(System.Globalization.CultureInfo.InvariantCulture, shifted, sirets[2]) + "\n"
            + $"A,{sirets[3]},03,O,31555\n");

        var e = Assert.Throws<PipelineException>(() => SireneIndex.Load(sirene, "76", new SireneEnrichLimits(), CancellationToken.None));

        Assert.Contains($"{sirene}, line {line}:", e.Message, StringComparison.Ordinal);
        Assert.Contains($"has {cells + (type == "extra-cell" ? 1 : -1)} cells for {cells} header columns ({type})", e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing is published", e.Message, StringComparison.Ordinal);

        // Through the enrichment too: the source's first row never comes out.
        await Assert.ThrowsAsync<PipelineException>(() => Enrich(temp, sirene, sirets[2]));
    }

    [Theory]
    [InlineData("siret", "columns n° 2, 6")]
    [InlineData("etablissementSiege", "columns n° 6, 7")]
    public void A_column_the_index_reads_given_twice_is_a_clear_error_naming_it(string repeated, string positions)
    {
        // Which of the two would be read? The first was, silently; the file is not INSEE's.
        using var temp = new TempFolder();
        var sirets = PlainSirets();
        var extra = repeated == "siret" ? "siret" : "etablissementSiege,etablissementSiege";
        var cells = repeated == "siret" ? sirets[0] : "true,false";
        var sirene = temp.File("stock.csv",
            $"etatAdministratifEtablissement,siret,trancheEffectifsEtablissement,statutDiffusionEtablissement,codeCommuneEtablissement,{extra}\n"
            + $"A,{sirets[0]},03,O,31555,{cells}\n");

        var e = Assert.Throws<PipelineException>(() => SireneIndex.Load(sirene, "76", new SireneEnrichLimits(), CancellationToken.None));

        Assert.Contains($"{sirene}, line 1 (header): duplicate-label: column '{repeated}' 2 times ({positions})", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restricted_establishment_outside_the_region_is_still_restricted()
    {
        using var temp = new TempFolder();
        var sirets = PlainSirets();
        var (paris, corse, open, local) = (sirets[0], sirets[1], sirets[2], sirets[3]);
        var sirene = temp.File("stock.csv",
            "siret,codeCommuneEtablissement,etatAdministratifEtablissement,trancheEffectifsEtablissement,statutDiffusionEtablissement\n"
            + $"{paris},75108,A,12,P\n"
            + $"{corse},2A004,F,03,\n" // an empty status, elsewhere: restricted too
            + $"{open},69381,A,21,O\n" // diffusible, elsewhere: not indexed
            + $"{local},31555,A,21,O\n");

        var rows = (await Enrich(temp, sirene, paris, corse, open, local)).ToDictionary(r => r["siret"]!);

        Assert.Equal("P", rows[paris]["statut_diffusion"]);
        Assert.Equal("P", rows[corse]["statut_diffusion"]);
        Assert.Equal("O", rows[open]["statut_diffusion"]);
        Assert.Equal("O", rows[local]["statut_diffusion"]);

        // Outside the region only the restriction is held: the joined columns stay empty there.
        Assert.All(new[] { paris, corse, open }, s => Assert.Equal((null, null), (rows[s]["etat_administratif"], rows[s]["tranche_effectif_sirene"])));
        Assert.Equal(("A", "21"), (rows[local]["etat_administratif"], rows[local]["tranche_effectif_sirene"]));
    }

    [Fact]
    public void A_SIRET_listed_twice_is_restricted_if_either_row_is()
    {
        using var temp = new TempFolder();
        var siret = PlainSirets()[0];
        // The diffusible row's packed state is the larger one (employer O above N): it must not win.
        var sirene = temp.File("stock.csv",
            "siret,codeCommuneEtablissement,etatAdministratifEtablissement,trancheEffectifsEtablissement,statutDiffusionEtablissement,caractereEmployeurEtablissement\n"
            + $"{siret},31555,A,12,P,N\n"
            + $"{siret},31555,A,12,O,O\n");

        var index = SireneIndex.Load(sirene, "76", new SireneEnrichLimits(), CancellationToken.None);

        Assert.True(index.TryGet(SireneStock.SiretKey(siret), out var state));
        Assert.Equal("P", SireneIndex.Decode(state, 2));
    }

    [Fact]
    public void An_index_past_its_bound_stops_the_run_instead_of_holding_the_file()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("stock.csv");
        using (var file = File.Create(path))
        {
            SireneStockGenerator.Write(file, 2_000, 9, occitanieShare: 0.5);
        }

        var e = Assert.Throws<PipelineException>(() => SireneIndex.Load(path, "76", new SireneEnrichLimits(), maxEntries: 100, SireneIndex.PageEntries, CancellationToken.None));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("more than 100 establishments to index", e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing is published", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_is_bounded_by_the_regions_establishments_not_by_the_file()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("stock.csv");
        using (var file = File.Create(path))
        {
            SireneStockGenerator.Write(file, 50_000, 9, occitanieShare: 0.09);
        }

        var rows = File.ReadLines(path).Skip(1).Select(l => l.Split(',')).ToList();
        var occitanie = rows.Count(c => Geography.Occitanie.Communes.ContainsKey(c[22]));
        var restrictedElsewhere = rows.Count(c => !Geography.Occitanie.Communes.ContainsKey(c[22]) && c[3] != "O");
        var index = SireneIndex.Load(path, "76", new SireneEnrichLimits(), CancellationToken.None);

        Assert.Equal(occitanie + restrictedElsewhere, index.Count);
        Assert.Equal(restrictedElsewhere, index.Elsewhere);
        Assert.InRange(occitanie, 4_000, 5_000); // about 9 % of 50,000
        Assert.InRange(restrictedElsewhere, 500, 1_500); // about 2 % of the other 91 %: the rest never reaches memory
    }

    [Fact]
    public void An_enrichment_that_would_not_respect_restricted_diffusion_is_refused()
    {
        using var temp = new TempFolder();
        var sirene = temp.File("stock.csv", "siret,codeCommuneEtablissement,etatAdministratifEtablissement,trancheEffectifsEtablissement,statutDiffusionEtablissement\n");

        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(ActeursWithEnrichment(temp, sirene, restrict: "")));

        Assert.Contains("restricted diffusion (P) must be respected", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_SIRET_listed_three_times_reads_the_largest_state_whatever_the_order()
    {
        using var temp = new TempFolder();
        var siret = PlainSirets()[0];
        const string header = "siret,codeCommuneEtablissement,etatAdministratifEtablissement,trancheEffectifsEtablissement,statutDiffusionEtablissement,caractereEmployeurEtablissement\n";
        // The largest packed state is the band-21 row (employer O above N, then O's band 21 above 01);
        // the restriction comes from the N row. Folding "restricted" in before comparing made the
        // first row win when it came first.
        string[] rows = [$"{siret},31555,A,01,O,O\n", $"{siret},31555,A,12,P,N\n", $"{siret},31555,A,21,O,O\n"];
        foreach (var order in new[] { rows, [.. rows.Reverse()] })
        {
            var index = SireneIndex.Load(temp.File("stock.csv", header + string.Concat(order)), "76", new SireneEnrichLimits(), CancellationToken.None);

            Assert.True(index.TryGet(SireneStock.SiretKey(siret), out var state));
            Assert.Equal(("P", "21", "O"), (SireneIndex.Decode(state, 2), SireneIndex.Decode(state, 1), SireneIndex.Decode(state, 3)));
        }
    }

    [Fact]
    public void Entries_on_many_pages_are_all_found_and_a_SIRET_listed_on_two_pages_reads_as_one()
    {
        using var temp = new TempFolder();
        var lines = new System.Text.StringBuilder("siret,codeCommuneEtablissement,etatAdministratifEtablissement,trancheEffectifsEtablissement,statutDiffusionEtablissement\n");
        // 2,500 establishments with close SIRETs, in descending order, on pages of 4 entries.
        for (var i = 2_500; i > 0; i--)
        {
            lines.Append(System.Globalization.CultureInfo.InvariantCulture, $"{31_000_000_000_000L + i},{(i % 10 == 0 ? "75108" : "31555")},{(i % 2 == 0 ? "A" : "F")},12,{(i % 10 == 0 ? "P" : "O")}\n");
        }

        // Two SIRETs again, 2,500 rows later: one outside the region and restricted, one in it.
        lines.Append("31000000002500,31555,F,03,O\n31000000002499,31555,F,03,P\n");
        var path = temp.File("stock.csv", lines.ToString());

        var index = SireneIndex.Load(path, "76", new SireneEnrichLimits(), SireneIndex.MaxEntries, pageEntries: 4, CancellationToken.None);

        Assert.Equal(2_500, index.Count);
        Assert.Equal(249, index.Elsewhere); // 2,500 is listed in the region too
        for (var i = 1; i < 2_499; i++)
        {
            Assert.True(index.TryGet(31_000_000_000_000L + i, out var state));
            Assert.Equal(i % 10 == 0 ? (null, "P") : (i % 2 == 0 ? "A" : "F", "O"), (SireneIndex.Decode(state, 0), SireneIndex.Decode(state, 2)));
        }

        Assert.False(index.TryGet(31_000_000_000_000L, out _));
        Assert.False(index.TryGet(31_000_000_002_501L, out _));
        // Listed outside the region (restricted) and in it (closed): the region's state, restricted.
        Assert.True(index.TryGet(31_000_000_002_500L, out var both));
        Assert.Equal(("F", "03", "P"), (SireneIndex.Decode(both, 0), SireneIndex.Decode(both, 1), SireneIndex.Decode(both, 2)));
        Assert.True(index.TryGet(31_000_000_002_499L, out var twice));
        Assert.Equal(("F", "P"), (SireneIndex.Decode(twice, 0), SireneIndex.Decode(twice, 2)));
    }

    [Fact]
    public async Task The_Sirene_file_has_its_own_limits_not_the_sources()
    {
        using var temp = new TempFolder();
        var sirets = PlainSirets();
        var sirene = temp.File("stock.csv",
            "siret,codeCommuneEtablissement,etatAdministratifEtablissement,trancheEffectifsEtablissement,statutDiffusionEtablissement\n"
            + string.Concat(sirets.Take(3).Select(s => $"{s},31555,F,12,O\n")));
        var size = new FileInfo(sirene).Length;

        var e = await Assert.ThrowsAsync<PipelineException>(() => Enrich(PipelineLoader.Load(ActeursWithEnrichment(temp, sirene, limits: $"limits: {{ max_file_bytes: {size - 1} }}")), sirets[0]));
        Assert.Contains($"{sirene}: the file is {size} bytes, above enrich.sirene.limits.max_file_bytes ({size - 1}). Nothing is published.", e.Message, StringComparison.Ordinal);

        e = await Assert.ThrowsAsync<PipelineException>(() => Enrich(PipelineLoader.Load(ActeursWithEnrichment(temp, sirene, limits: "limits: { max_rows: 2 }")), sirets[0]));
        Assert.Contains($"{sirene}: more than enrich.sirene.limits.max_rows (2) rows. Nothing is published.", e.Message, StringComparison.Ordinal);

        // At the limits the file is read; source.limits (the CRM export's, here smaller than the Sirene file) do not apply to it.
        var folder = ActeursWithEnrichment(temp, sirene, limits: $"limits: {{ max_file_bytes: {size}, max_rows: 3 }}");
        File.WriteAllText(Path.Combine(folder, "pipeline.yaml"), File.ReadAllText(Path.Combine(folder, "pipeline.yaml")).Replace("max_file_bytes: 2147483648, max_rows: 5000000", "max_file_bytes: 2147483648, max_rows: 1", StringComparison.Ordinal));
        var row = Assert.Single(await Enrich(PipelineLoader.Load(folder), sirets[0]));
        Assert.Equal("F", row["etat_administratif"]);

        var refused = Assert.Throws<PipelineException>(() => PipelineLoader.Load(ActeursWithEnrichment(temp, sirene, limits: "limits: { max_rows: 0 }")));
        Assert.Contains("enrich.sirene.limits.max_file_bytes, max_rows and max_record_bytes must be positive.", refused.Message, StringComparison.Ordinal);
    }

}

/// <summary>A source of one prepared batch.</summary>
internal sealed class BatchSource(ColumnBatch batch) : IRecordSource
{
    public string Description => "test batch";

    public string Details => "";

    public long SizeBytes => 0;

    public long RowsRead => batch.Count;

    public double Fraction => 1;

    public async IAsyncEnumerable<ColumnBatch> ReadAsync(IRejectedRowSink sink, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        yield return batch;
    }
}

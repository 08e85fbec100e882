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

    private static string ActeursWithEnrichment(TempFolder temp, string sirenePath, string restrict = "restrict: statut_diffusion")
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
    private static async Task<List<Dictionary<string, string?>>> Enrich(TempFolder temp, string sirene, params string[] sirets)
    {
        var pipeline = PipelineLoader.Load(ActeursWithEnrichment(temp, sirene));
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

        var index = SireneIndex.Load(sirene, "76", 1 << 20, CancellationToken.None);
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

        var e = Assert.Throws<PipelineException>(() => SireneIndex.Load(sirene, "76", 1 << 20, CancellationToken.None));

        Assert.Contains($"{sirene}, line {line}:", e.Message, StringComparison.Ordinal);
        Assert.Contains($"has {cells + (type == "extra-cell" ? 1 : -1)} cells for {cells} header columns ({type})", e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing is published", e.Message, StringComparison.Ordinal);

        // Through the enrichment too: the source's first row never comes out.
        await Assert.ThrowsAsync<PipelineException>(() => Enrich(temp, sirene, sirets[2]));
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

        var index = SireneIndex.Load(sirene, "76", 1 << 20, CancellationToken.None);

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

        var e = Assert.Throws<PipelineException>(() => SireneIndex.Load(path, "76", 1 << 20, maxEntries: 100, CancellationToken.None));

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
        var index = SireneIndex.Load(path, "76", 1 << 20, CancellationToken.None);

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

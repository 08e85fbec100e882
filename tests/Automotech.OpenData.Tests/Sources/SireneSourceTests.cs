using System.Text;
using Automotech.OpenData.DemoData;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Reference;
using Automotech.OpenData.Sources;
using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Tests.Sources;

public class SireneSourceTests
{
    private static readonly string[] AutomotiveNaf = ["29.10Z", "29.20Z", "29.31Z", "29.32Z", "45.11Z", "45.20A", "45.3"];

    private static TableSchema Schema(params string[] names) => new() { Fields = [.. names.Select(n => new SchemaField { Name = n })] };

    private static async Task<List<string?[]>> ReadAll(SireneSource source, IRejectedRowSink? sink = null)
    {
        var rows = new List<string?[]>();
        await foreach (var batch in source.ReadAsync(sink ?? new RejectList(), CancellationToken.None))
        {
            for (var r = 0; r < batch.Count; r++)
            {
                rows.Add([.. Enumerable.Range(0, batch.FieldNames.Count).Select(f => batch.Get(r, f))]);
            }
        }

        return rows;
    }

    private static string Text(string?[] row) => string.Join('|', row.Select(v => v ?? "∅"));

    private static string Generate(TempFolder temp, long rows, int seed, double share = 0.09)
    {
        var path = temp.Combine($"stock-{rows}-{seed}.csv");
        using var file = File.Create(path);
        SireneStockGenerator.Write(file, rows, seed, share);
        return path;
    }

    [Fact]
    public async Task The_filter_keeps_exactly_the_region_naf_and_state_rows_an_independent_reading_finds()
    {
        using var temp = new TempFolder();
        var path = Generate(temp, 30_000, seed: 3, share: 0.2);

        // Independent reading: the generated file has no quoted cell, so a split is a faithful parser.
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        var expected = lines.Skip(1).Select(l => l.Split(','))
            .Where(c => Geography.Occitanie.Communes.ContainsKey(c[Col("codeCommuneEtablissement")]))
            .Where(c => AutomotiveNaf.Any(n => n.Length == 6 ? c[Col("activitePrincipaleEtablissement")] == n : c[Col("activitePrincipaleEtablissement")].StartsWith(n, StringComparison.Ordinal)))
            .Where(c => c[Col("etatAdministratifEtablissement")] == "A")
            .Select(c => c[Col("siret")])
            .ToList();
        Assert.InRange(expected.Count, 50, 5_000); // the test means something only if some rows match

        var source = new SireneSource(path, Schema("siret", "codeCommuneEtablissement"), new SireneFilter { Region = "76", Naf = [.. AutomotiveNaf], Etat = ["A"] }, batchSize: 1_000);
        var rows = await ReadAll(source);

        Assert.Equal(expected, rows.Select(r => r[0]!).ToList());
        Assert.Equal(30_000, source.RowsScanned);
        Assert.Equal(expected.Count, source.RowsRead);
        Assert.All(rows, r => Assert.NotNull(Geography.Occitanie.FindCommune(r[1])));
    }

    [Fact]
    public async Task Columns_are_mapped_by_name_in_any_order_and_unknown_columns_are_ignored()
    {
        using var temp = new TempFolder();
        var path = temp.File("stock.csv",
            "activitePrincipaleNAF25Etablissement,codeCommuneEtablissement,siret,colonneFuture,statutDiffusionEtablissement,activitePrincipaleEtablissement,etatAdministratifEtablissement,enseigne1Etablissement\n"
            + "29.10Y,31555,73282932000074,x,O,29.10Z,A,GARAGE TEST\n"
            + "29.10Y,75108,55203253400646,x,O,29.10Z,A,AILLEURS\n");
        var source = new SireneSource(path, Schema("siret", "enseigne1Etablissement", "activitePrincipaleEtablissement"), new SireneFilter { Region = "76" }, 10);

        var rows = await ReadAll(source);

        var row = Assert.Single(rows);
        Assert.Equal("73282932000074|GARAGE TEST|29.10Z", Text(row));
    }

    [Fact]
    public async Task A_restricted_establishment_keeps_nothing_finer_than_its_commune()
    {
        using var temp = new TempFolder();
        var path = temp.File("stock.csv",
            "siret,statutDiffusionEtablissement,numeroVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,codeCommuneEtablissement,enseigne1Etablissement,trancheEffectifsEtablissement,activitePrincipaleEtablissement\n"
            + "73282932000074,P,[ND],[ND],31400,31555,SECRET,02,45.20A\n"
            + "55203253400646,N,12,RUE DU CANAL,31000,31555,ANCIEN,01,45.20A\n"
            + "40169289200763,O,12,[ND],31000,31555,PUBLIQUE,03,45.20A\n");
        var source = new SireneSource(path, Schema("siret", "numeroVoieEtablissement", "libelleVoieEtablissement", "codePostalEtablissement", "codeCommuneEtablissement", "enseigne1Etablissement", "trancheEffectifsEtablissement"), null, 10);

        var rows = await ReadAll(source);

        Assert.Equal("73282932000074|∅|∅|∅|31555|∅|02", Text(rows[0]));
        Assert.Equal("55203253400646|∅|∅|∅|31555|∅|01", Text(rows[1])); // the older "non diffusible" code too
        Assert.Equal("40169289200763|12|∅|31000|31555|PUBLIQUE|03", Text(rows[2])); // [ND] reads as missing
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("p", true)] // lower case is not INSEE's O
    [InlineData("[ND]", true)]
    [InlineData("X", true)]
    [InlineData("O ", true)]
    [InlineData("O", false)]
    public async Task Any_diffusion_status_but_exactly_O_is_restricted(string status, bool restricted)
    {
        using var temp = new TempFolder();
        var path = temp.File("stock.csv",
            "siret,statutDiffusionEtablissement,libelleVoieEtablissement,codePostalEtablissement,codeCommuneEtablissement,enseigne1Etablissement\n"
            + $"73282932000074,\"{status}\",RUE DU CANAL,31000,31555,ENSEIGNE\n");
        var source = new SireneSource(path, Schema("siret", "libelleVoieEtablissement", "codePostalEtablissement", "codeCommuneEtablissement", "enseigne1Etablissement"), null, 10);

        var row = Assert.Single(await ReadAll(source));

        Assert.Equal(restricted ? "73282932000074|∅|∅|31555|∅" : "73282932000074|RUE DU CANAL|31000|31555|ENSEIGNE", Text(row));
        Assert.Equal(restricted, SireneStock.IsRestricted(Encoding.ASCII.GetBytes(status)));
    }

    [Fact]
    public async Task A_file_without_the_columns_the_filter_needs_is_a_clear_error()
    {
        using var temp = new TempFolder();
        var path = temp.File("stock.csv", "siret,statutDiffusionEtablissement,activitePrincipaleEtablissement\n73282932000074,O,29.10Z\n");
        var source = new SireneSource(path, Schema("siret"), new SireneFilter { Region = "76" }, 10);

        var e = await Assert.ThrowsAsync<PipelineException>(() => ReadAll(source));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("line 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("codeCommuneEtablissement", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("siret,statutDiffusionEtablissement,siret,codeCommuneEtablissement", "'siret' 2 times (columns n° 1, 3)")]
    [InlineData("siret,statutDiffusionEtablissement,codeCommuneEtablissement,codeCommuneEtablissement", "'codeCommuneEtablissement' 2 times (columns n° 3, 4)")]
    public async Task A_column_the_pipeline_reads_given_twice_is_a_clear_error_naming_it(string header, string expected)
    {
        // Which of the two would be read? The first was, silently; the file is not INSEE's.
        using var temp = new TempFolder();
        var path = temp.File("stock.csv", header + "\n73282932000074,O,73282932000074,31555\n");
        var source = new SireneSource(path, Schema("siret"), new SireneFilter { Region = "76" }, 10);

        var e = await Assert.ThrowsAsync<PipelineException>(() => ReadAll(source));

        Assert.Contains($"{path}, line 1 (header): duplicate-label: column {expected}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_column_the_pipeline_does_not_read_may_be_given_twice()
    {
        using var temp = new TempFolder();
        var path = temp.File("stock.csv", "siret,statutDiffusionEtablissement,codeCommuneEtablissement,enseigne1Etablissement,enseigne1Etablissement\n73282932000074,O,31555,A,B\n");
        var source = new SireneSource(path, Schema("siret"), new SireneFilter { Region = "76" }, 10);

        var rows = await ReadAll(source);

        Assert.Equal("73282932000074", Assert.Single(rows)[0]);
    }

    [Fact]
    public async Task A_row_with_shifted_cells_is_rejected_with_its_line_not_silently_filtered()
    {
        using var temp = new TempFolder();
        var path = temp.File("stock.csv",
            "siret,statutDiffusionEtablissement,codeCommuneEtablissement\n73282932000074,O,31555\n55203253400646,O\n");
        var sink = new RejectList();
        var source = new SireneSource(path, Schema("siret"), new SireneFilter { Region = "76" }, 10);

        var rows = await ReadAll(source, sink);

        Assert.Single(rows);
        var rejected = Assert.Single(sink.Rows);
        Assert.Equal(3, rejected.LineNumber);
        Assert.Equal("missing-cell", rejected.Errors[0].Type);
        Assert.Equal(2, source.RowsRead);
    }

    [Theory]
    [InlineData("29.10Z", "29.10Z", true)]
    [InlineData("2910Z", "29.10Z", true)] // without the dot, as some exports write it
    [InlineData("29.10Z", "29.10A", false)]
    [InlineData("45.", "45.20A", true)] // a prefix: every division 45 code
    [InlineData("45.3", "45.20A", false)]
    [InlineData("29.1", "29.10Z", true)]
    [InlineData("29.10z", "29.10Z", true)] // read in upper case, as INSEE writes codes
    [InlineData("2910z", "29.10Z", true)]
    [InlineData(" 45.20a ", "45.20A", true)]
    public void Naf_codes_match_exactly_and_shorter_codes_as_prefixes(string declared, string cell, bool matches) =>
        Assert.Equal(matches, new NafMatcher([declared]).Matches(Encoding.ASCII.GetBytes(cell)));

    /// <summary>A copy of the bundled sirene-automobile pipeline in <paramref name="temp"/>, its yaml edited; the folder holding it.</summary>
    private static string SireneAutomobile(TempFolder temp, Func<string, string> edit)
    {
        var bundled = Path.Combine(Repo.Pipelines, "sirene-automobile");
        temp.File("pipelines/sirene-automobile/schema.json", File.ReadAllText(Path.Combine(bundled, "schema.json")));
        var yaml = File.ReadAllText(Path.Combine(bundled, "pipeline.yaml")).Replace("../../samples/", Path.Combine(Repo.Root, "samples") + "/", StringComparison.Ordinal);
        temp.File("pipelines/sirene-automobile/pipeline.yaml", edit(yaml));
        return temp.Combine("pipelines", "sirene-automobile");
    }

    private static readonly string BundledNaf = "naf: [29.10Z, 29.20Z, 29.31Z, 29.32Z, 22.11Z, 45.11Z, 45.19Z, 45.20A, 45.20B, 45.31Z, 45.32Z, 71.20A]";

    [Fact]
    public void Naf_codes_of_the_filter_not_in_the_nomenclature_are_refused_at_load()
    {
        using var temp = new TempFolder();
        var folder = SireneAutomobile(temp, yaml => yaml.Replace(BundledNaf, "naf: [29.10Q, \"2910\", 45.20A, 29.1, 45., 99.9]", StringComparison.Ordinal));

        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(folder));

        Assert.Contains(Path.Combine(folder, "pipeline.yaml"), e.Message, StringComparison.Ordinal);
        Assert.Contains("3 problem(s)", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.filter.naf: '29.10Q' is neither a NAF rev. 2 sub-class", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.filter.naf: '2910' is neither", e.Message, StringComparison.Ordinal); // a prefix needs its dot
        Assert.Contains("source.filter.naf: '99.9' is neither", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lower_case_naf_codes_load_and_match_as_upper_case()
    {
        using var temp = new TempFolder();
        var folder = SireneAutomobile(temp, yaml => yaml.Replace(BundledNaf, "naf: [29.10z, 45.20a]", StringComparison.Ordinal));
        var pipeline = PipelineLoader.Load(folder);
        var path = temp.File("stock.csv",
            "siret,statutDiffusionEtablissement,codeCommuneEtablissement,activitePrincipaleEtablissement,etatAdministratifEtablissement\n"
            + "73282932000074,O,31555,29.10Z,A\n55203253400646,O,31555,45.20A,A\n40169289200763,O,31555,45.20B,A\n");

        var rows = await ReadAll(new SireneSource(path, Schema("siret"), pipeline.Source.Filter, 10));

        Assert.Equal(["73282932000074", "55203253400646"], rows.Select(r => r[0]));
    }

    [Fact]
    public async Task A_filter_that_keeps_no_row_fails_the_run_saying_so()
    {
        using var site = new EndToEnd.DemoSite();
        // Valid Sirene rows, none of them in Occitanie.
        var path = site.Temp("stock.csv");
        File.WriteAllText(path, string.Join(',', SireneStock.Columns) + "\n"
            + string.Concat(File.ReadLines(Path.Combine(Repo.Root, "samples", "sirene-etablissements-demo.csv")).Skip(1)
                .Where(l => !Geography.Occitanie.Communes.ContainsKey(l.Split(',')[22])).Take(3).Select(l => l + "\n")));

        Assert.Equal(1, await site.RunAsync("publish", "--pipeline", "sirene-automobile", "--source", path, $"--Anonymisation:Key={new string('k', 40)}"));

        Assert.Contains($"sirene-automobile: source.filter kept 0 of 3 rows scanned in {path} (region 76; naf 29.10Z", site.Error, StringComparison.Ordinal);
        Assert.Contains("nothing is published", site.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("0 of 0 rows rejected", site.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(site.Path("datasets")));
    }

    [Fact]
    public void An_unknown_region_is_refused_clearly() =>
        Assert.Contains("only region 76", Assert.Throws<PipelineException>(() => SireneStock.CommunesOf("11")).Message, StringComparison.Ordinal);
}

public class SireneStockGeneratorTests
{
    [Fact]
    public void Same_rows_and_seed_give_the_same_bytes_and_another_seed_other_bytes()
    {
        static byte[] Make(int seed)
        {
            using var stream = new MemoryStream();
            SireneStockGenerator.Write(stream, 2_000, seed);
            return stream.ToArray();
        }

        Assert.Equal(Make(5), Make(5));
        Assert.NotEqual(Make(5), Make(6));
    }

    [Fact]
    public void The_file_has_INSEE_header_valid_unique_sirets_and_realistic_shares()
    {
        using var stream = new MemoryStream();
        SireneStockGenerator.Write(stream, 20_000, 11, occitanieShare: 0.09);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal(SireneStock.Columns, header);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(20_000, rows.Count);
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
        int Col(string name) => Array.IndexOf(header, name);

        var sirets = rows.Select(r => r[Col("siret")]).ToList();
        Assert.All(rows, r => Assert.Equal(r[Col("siren")] + r[Col("nic")], r[Col("siret")]));
        Assert.All(sirets, s => Assert.True(BusinessChecks.IsValidSiret(s), s));
        Assert.Equal(sirets.Count, sirets.Distinct().Count());
        Assert.All(rows, r => Assert.NotNull(NafNomenclature.Rev2.FindLabel(r[Col("activitePrincipaleEtablissement")])));

        double Share(Func<string[], bool> predicate) => rows.Count(predicate) / (double)rows.Count;
        Assert.InRange(Share(r => Geography.Occitanie.Communes.ContainsKey(r[Col("codeCommuneEtablissement")])), 0.08, 0.10);
        Assert.InRange(Share(r => r[Col("etatAdministratifEtablissement")] == "F"), 0.09, 0.11);
        Assert.InRange(Share(r => r[Col("statutDiffusionEtablissement")] == "P"), 0.015, 0.025);
        Assert.All(rows.Where(r => r[Col("statutDiffusionEtablissement")] == "P"), r => Assert.Equal("[ND]", r[Col("libelleVoieEtablissement")]));

        // Communes elsewhere are real codes outside the region: the filter has real rows to skip.
        Assert.Contains(rows, r => r[Col("codeCommuneEtablissement")] == "2A004");
    }
}

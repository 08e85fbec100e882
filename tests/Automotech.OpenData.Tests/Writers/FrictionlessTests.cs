using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Tests.Writers;

/// <summary>
/// Our data packages as a user's Frictionless validator reads them: the reference implementation of
/// the v1 specs, datapackage-js and tableschema-js (tests/frictionless/check.mjs), loads each
/// datapackage.json in strict mode against the profiles it declares, loads each Table Schema
/// strictly, and reads every CSV row through its schema. The broken packages prove it can fail.
/// </summary>
public sealed class FrictionlessTests : IClassFixture<FrictionlessTests.Published>
{
    private const string Acteurs = "datasets/acteurs/2026-11-25";

    private readonly EndToEnd.DemoSite site;

    public FrictionlessTests(Published published) => site = published.Site;

    [Fact]
    public async Task Every_package_of_the_published_tree_is_valid_and_every_CSV_row_casts_through_its_schema()
    {
        var (code, report) = await CheckAsync(site.Site);
        Assert.True(code == 0, Errors(report));

        var packages = report.RootElement.GetProperty("packages").EnumerateArray().ToDictionary(p => p.GetProperty("file").GetString()!);
        // Both bundled datasets, their aggregate, and the second version of acteurs after a republish.
        foreach (var version in new[] { Acteurs, "datasets/acteurs/2026-11-26", "datasets/acteurs/latest", "datasets/sirene-automobile/2026-11-25", "datasets/chiffres-cles/2026-11-25" })
        {
            Assert.True(packages.ContainsKey(version + "/datapackage.json"), $"{version}/datapackage.json was not checked; checked: {string.Join(", ", packages.Keys)}");
        }

        foreach (var (file, package) in packages)
        {
            var folder = Path.GetDirectoryName(file)!;
            foreach (var resource in package.GetProperty("resources").EnumerateArray())
            {
                var path = resource.GetProperty("path").GetString()!;
                if (resource.GetProperty("format").GetString() == "csv")
                {
                    // Every row was read: as many as a strict RFC 4180 parser finds after the header.
                    var rows = EndToEnd.PublishDemoTests.ReadCsv(site.Path([.. folder.Split('/'), path])).Count - 1;
                    Assert.True(rows > 0, $"{folder}/{path} holds no row");
                    Assert.Equal(rows, resource.GetProperty("rows").GetInt32());
                }
                else
                {
                    Assert.Equal(JsonValueKind.Null, resource.GetProperty("rows").ValueKind);
                }
            }
        }

        // The Hive-partitioned Parquet is listed, one resource per part, each checked by its descriptor.
        var parts = packages["datasets/sirene-automobile/2026-11-25/datapackage.json"].GetProperty("resources").EnumerateArray()
            .Select(r => r.GetProperty("path").GetString()!).Where(p => p.Contains("code_departement=", StringComparison.Ordinal)).ToList();
        Assert.True(parts.Count >= 10, string.Join(", ", parts));
        Assert.All(parts, p => Assert.EndsWith("/part-0.parquet", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_row_that_breaks_a_constraint_is_reported_with_its_file_row_and_field()
    {
        using var temp = new TempFolder();
        var folder = CopyOfVersion(temp, Acteurs);
        var csv = Path.Combine(folder, "acteurs.csv");
        var rows = EndToEnd.PublishDemoTests.ReadCsv(csv);
        var header = rows[0];
        rows[1][Array.IndexOf(header, "type_acteur")] = "concessionnaire"; // not in the enum
        rows[3][Array.IndexOf(header, "identifiant")] = rows[2][Array.IndexOf(header, "identifiant")]; // the primary key twice
        await File.WriteAllTextAsync(csv, string.Concat(rows.Select(r => string.Join(',', r.Select(v => "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"")) + "\r\n")), new UTF8Encoding(false));
        UpdatePackage(folder, package =>
        {
            var resource = package["resources"]![0]!;
            resource["bytes"] = new FileInfo(csv).Length;
            resource["hash"] = "sha256:" + FileHash.Sha256(csv);
        });

        var (code, report) = await CheckAsync(temp.Path);

        Assert.Equal(1, code);
        var errors = ErrorList(report);
        Assert.Contains(errors, e => e.File == "acteurs.csv" && e.Row == 2 && e.Field == "type_acteur" && e.Message.Contains("\"enum\" constraint", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.File == "acteurs.csv" && e.Row == 4 && e.Message.Contains("unique constraint violation in column \"identifiant\"", StringComparison.Ordinal));
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public async Task A_wrong_type_in_the_schema_is_reported_at_each_row_it_does_not_fit()
    {
        using var temp = new TempFolder();
        var folder = CopyOfVersion(temp, Acteurs);
        UpdatePackage(folder, package => Field(package, "specialise_automobile")["type"] = "integer"); // true and false are no integers

        var (code, report) = await CheckAsync(temp.Path);

        Assert.Equal(1, code);
        var errors = ErrorList(report);
        var rows = EndToEnd.PublishDemoTests.ReadCsv(Path.Combine(folder, "acteurs.csv")).Count - 1;
        Assert.Equal(rows, errors.Count(e => e.File == "acteurs.csv" && e.Field == "specialise_automobile" && e.Message.Contains("is not type \"integer\"", StringComparison.Ordinal)));
        Assert.Contains(errors, e => e.Row == 2);
        Assert.Contains(errors, e => e.Row == rows + 1);
    }

    [Fact]
    public async Task A_descriptor_that_breaks_its_profile_is_reported_with_where()
    {
        using var temp = new TempFolder();
        var folder = CopyOfVersion(temp, Acteurs);
        UpdatePackage(folder, package =>
        {
            package["name"] = "Acteurs Occitanie"; // a name is lower case, no space
            package["licenses"]![0]!["name"] = "Licence Ouverte 2.0"; // an Open Definition identifier: no space
            Field(package, "nom")["type"] = "texte"; // not a Table Schema type
        });

        var (code, report) = await CheckAsync(temp.Path);

        Assert.Equal(1, code);
        var errors = ErrorList(report);
        Assert.All(errors, e => Assert.Equal("datapackage.json", e.File));
        Assert.Contains(errors, e => e.Message.Contains("at \"/name\" in descriptor", StringComparison.Ordinal) && e.Message.StartsWith("package profile data-package", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("at \"/licenses/0/name\" in descriptor", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Resource == "acteurs" && e.Message.Contains("at \"/schema/fields/1\" in descriptor", StringComparison.Ordinal));
    }

    /// <summary>
    /// Why a Parquet file is a data-resource: the v1 Tabular Data Resource says its data, if not
    /// inline, MUST be a CSV file, and datapackage-js reads every tabular-data-resource as a table.
    /// </summary>
    [Fact]
    public async Task A_Parquet_file_declared_a_tabular_data_resource_cannot_be_read_as_one()
    {
        using var temp = new TempFolder();
        var folder = CopyOfVersion(temp, Acteurs);
        UpdatePackage(folder, package =>
        {
            var parquet = package["resources"]!.AsArray().Single(r => (string?)r!["format"] == "parquet")!;
            Assert.Equal("data-resource", (string?)parquet["profile"]);
            parquet["profile"] = "tabular-data-resource";
        });

        var (code, report) = await CheckAsync(temp.Path);

        Assert.Equal(1, code);
        var error = Assert.Single(ErrorList(report));
        Assert.Equal(("acteurs.parquet", "acteurs-parquet"), (error.File, error.Resource));
        Assert.Contains("Tabular format \"parquet\" is not supported", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs tests/frictionless/check.mjs on a folder (every datapackage.json under it) and returns its
    /// exit code and JSON report; fails when the checker's npm packages are not installed.
    /// </summary>
    internal static async Task<(int Code, JsonDocument Report)> CheckAsync(string path)
    {
        var folder = Path.Combine(Repo.Root, "tests", "frictionless");
        Assert.True(
            Directory.Exists(Path.Combine(folder, "node_modules", "datapackage")) && Directory.Exists(Path.Combine(folder, "node_modules", "tableschema")),
            "run scripts/test.sh: it installs the Frictionless checker's npm packages (datapackage, tableschema)");
        var (code, stdout, stderr) = await ChildProcess.RunAsync(new ProcessStartInfo("node") { WorkingDirectory = folder }, ["check.mjs", path], TimeSpan.FromMinutes(5));
        Assert.True(code is 0 or 1, $"check.mjs exited {code}: {stderr}{stdout}");
        return (code, JsonDocument.Parse(stdout));
    }

    private sealed record Error(string File, string? Resource, int? Row, string? Field, string Message);

    private static List<Error> ErrorList(JsonDocument report) =>
    [
        .. report.RootElement.GetProperty("errors").EnumerateArray().Select(e => new Error(
            e.GetProperty("file").GetString()!,
            e.TryGetProperty("resource", out var r) ? r.GetString() : null,
            e.TryGetProperty("row", out var row) ? row.GetInt32() : null,
            e.TryGetProperty("field", out var f) ? f.GetString() : null,
            e.GetProperty("message").GetString()!)),
    ];

    private static string Errors(JsonDocument report) => string.Join('\n', ErrorList(report));

    /// <summary>A version folder of the published tree, copied into <paramref name="temp"/> to be broken there.</summary>
    private string CopyOfVersion(TempFolder temp, string version)
    {
        var source = site.Path(version.Split('/'));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(temp.Path, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return temp.Path;
    }

    private static void UpdatePackage(string folder, Action<JsonObject> change)
    {
        var path = Path.Combine(folder, "datapackage.json");
        var package = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        change(package);
        File.WriteAllText(path, package.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>A field of the CSV resource's schema (the first resource).</summary>
    private static JsonObject Field(JsonObject package, string name) =>
        package["resources"]![0]!["schema"]!["fields"]!.AsArray().Single(f => (string?)f!["name"] == name)!.AsObject();

    /// <summary>The demo published, then acteurs republished the next day from a changed source: a second version.</summary>
    public sealed class Published : IAsyncLifetime
    {
        public EndToEnd.DemoSite Site { get; } = new();

        public async Task InitializeAsync()
        {
            var key = $"--Anonymisation:Key={new string('k', 40)}";
            Assert.Equal(0, await Site.RunAsync("publish", key));
            var lines = await File.ReadAllLinesAsync(Repo.DemoSource);
            var source = Site.Temp("source.csv");
            await File.WriteAllLinesAsync(source, lines[..^1]); // one row fewer
            Site.Clock.Advance(TimeSpan.FromDays(1));
            Assert.Equal(0, await Site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, key));
            Assert.True(Directory.Exists(Site.Path("datasets", "acteurs", "2026-11-26")), Site.Output + Site.Error);
        }

        public Task DisposeAsync()
        {
            Site.Dispose();
            return Task.CompletedTask;
        }
    }
}

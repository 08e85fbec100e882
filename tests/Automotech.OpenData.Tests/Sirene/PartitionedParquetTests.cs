using System.Text.Json;
using Automotech.OpenData.Tests.EndToEnd;
using Automotech.OpenData.Writers;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Automotech.OpenData.Tests.Sirene;

/// <summary>outputs.partition_by, through the bundled sirene-automobile pipeline, read back by DuckDB.</summary>
public class PartitionedParquetTests
{
    /// <summary>A copy of the bundled sirene-automobile pipeline, with its yaml edited.</summary>
    internal static string PipelineCopy(DemoSite site, Func<string, string> edit)
    {
        var directory = site.Temp("pipelines", "sirene-automobile");
        Directory.CreateDirectory(directory);
        var bundled = Path.Combine(Repo.Pipelines, "sirene-automobile");
        File.Copy(Path.Combine(bundled, "schema.json"), Path.Combine(directory, "schema.json"));
        var yaml = File.ReadAllText(Path.Combine(bundled, "pipeline.yaml"))
            .Replace("../../samples/", Path.Combine(Repo.Root, "samples") + "/", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(directory, "pipeline.yaml"), edit(yaml));
        return Path.GetDirectoryName(directory)!;
    }

    [Fact]
    public async Task Hive_partitions_read_back_by_DuckDB_hold_the_same_rows_as_the_csv()
    {
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "sirene-automobile"));
        var version = site.Path("datasets", "sirene-automobile", "2026-11-25");
        var csvPath = Path.Combine(version, "sirene-automobile.csv");
        var rows = DuckDb.Query($"SELECT identifiant, code_departement FROM read_csv({DuckDb.Quote(csvPath)}, all_varchar = true) ORDER BY identifiant");
        Assert.InRange(rows.Count, 20, 1_000);

        var glob = DuckDb.Quote(Path.Combine(version, "sirene-automobile", "**", "*.parquet"));
        var parts = DuckDb.Query($"SELECT identifiant, code_departement FROM read_parquet({glob}, hive_partitioning = true, hive_types_autocast = false) ORDER BY identifiant");
        Assert.Equal(rows.Select(r => $"{r[0]}|{r[1]}"), parts.Select(r => $"{r[0]}|{r[1]}"));

        // Every column, not only the key: the partitions hold what the single Parquet file holds (the partition column comes last).
        var single = DuckDb.Quote(Path.Combine(version, "sirene-automobile.parquet"));
        var difference = DuckDb.Query($"""
            SELECT count(*) FROM (
              (SELECT * EXCLUDE (code_departement), code_departement FROM read_parquet({single}) EXCEPT ALL SELECT * FROM read_parquet({glob}, hive_partitioning = true, hive_types_autocast = false))
              UNION ALL
              (SELECT * FROM read_parquet({glob}, hive_partitioning = true, hive_types_autocast = false) EXCEPT ALL SELECT * EXCLUDE (code_departement), code_departement FROM read_parquet({single})))
            """);
        Assert.Equal(0L, Convert.ToInt64(difference[0][0], System.Globalization.CultureInfo.InvariantCulture));

        // The filter the partitioning is for, as a user types it.
        var expected31 = rows.Where(r => (string?)r[1] == "31").Select(r => (string)r[0]!).ToList();
        Assert.NotEmpty(expected31);
        var only31 = DuckDb.Query($"SELECT identifiant FROM read_parquet({glob}, hive_partitioning = true) WHERE code_departement = '31' ORDER BY identifiant");
        Assert.Equal(expected31, only31.Select(r => (string)r[0]!));

        // A part holds no copy of the partition column (it is in the folder name, as in Hive).
        var part = DuckDb.Quote(Path.Combine(version, "sirene-automobile", "code_departement=31", PartitionedParquetWriter.PartFile));
        Assert.DoesNotContain(DuckDb.Query($"DESCRIBE SELECT * FROM read_parquet({part}, hive_partitioning = false)"), r => (string?)r[0] == "code_departement");
    }

    [Fact]
    public async Task Every_part_is_a_resource_of_datapackage_json_with_its_size_and_hash_and_copied_to_latest()
    {
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "sirene-automobile"));
        var version = site.Path("datasets", "sirene-automobile", "2026-11-25");
        using var package = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(version, "datapackage.json")));
        var resources = package.RootElement.GetProperty("resources").EnumerateArray().ToList();
        var parts = resources.Where(r => r.TryGetProperty("partition", out _)).ToList();
        var folders = Directory.GetDirectories(Path.Combine(version, "sirene-automobile")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(folders, parts.Select(p => p.GetProperty("path").GetString()!.Split('/')[1]));
        Assert.Equal(resources.Count, resources.Select(r => r.GetProperty("name").GetString()).Distinct().Count());
        foreach (var p in parts)
        {
            var local = Path.Combine(version, p.GetProperty("path").GetString()!);
            Assert.Equal(new FileInfo(local).Length, p.GetProperty("bytes").GetInt64());
            Assert.Equal("sha256:" + OpenData.Releases.FileHash.Sha256(local), p.GetProperty("hash").GetString());
            Assert.DoesNotContain(p.GetProperty("schema").GetProperty("fields").EnumerateArray(), f => f.GetProperty("name").GetString() == "code_departement");
            Assert.True(File.Exists(site.Path("datasets", "sirene-automobile", "latest", p.GetProperty("path").GetString()!)));
        }
    }

    [Fact]
    public async Task The_page_lists_the_parts_apart_from_the_files_and_its_glob_reads_every_row()
    {
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "sirene-automobile"));
        var version = site.Path("datasets", "sirene-automobile", "2026-11-25");
        var html = File.ReadAllText(site.Path("datasets", "sirene-automobile", "index.html"));
        var folders = Directory.GetDirectories(Path.Combine(version, "sirene-automobile")).Length;
        Assert.InRange(folders, 2, 13);

        // The downloads table: the top-level files only; the parts in a list of their own, opened on demand.
        var table = html[html.IndexOf("<h2 id=\"telechargements\">", StringComparison.Ordinal)..html.IndexOf("<h3 id=\"partitions-sirene-automobile\">", StringComparison.Ordinal)];
        Assert.Contains("<td>sirene-automobile.parquet</td>", table, StringComparison.Ordinal);
        Assert.DoesNotContain("part-0.parquet", table, StringComparison.Ordinal);
        Assert.Contains($"<details><summary id=\"partitions-sirene-automobile-fichiers\">Les {folders} fichiers de sirene-automobile/</summary>", html, StringComparison.Ordinal);
        Assert.Equal(folders, System.Text.RegularExpressions.Regex.Count(html, "<a href=\"2026-11-25/sirene-automobile/code_departement=[^\"]*/part-0\\.parquet\">"));

        // The glob the page gives, run as a reader would from a copy of the version folder.
        var glob = System.Text.RegularExpressions.Regex.Match(html, "read_parquet\\('([^']*)', hive_partitioning = true, hive_types_autocast = false\\)").Groups[1].Value;
        Assert.Equal("sirene-automobile/*/*.parquet", glob);
        var rows = DuckDb.Query($"SELECT count(*) FROM read_csv({DuckDb.Quote(Path.Combine(version, "sirene-automobile.csv"))}, all_varchar = true)");
        var parts = DuckDb.Query($"SELECT count(*), count(DISTINCT code_departement), count(*) FILTER (WHERE code_departement = '09') FROM read_parquet({DuckDb.Quote(Path.Combine(version, glob))}, hive_partitioning = true, hive_types_autocast = false)");
        Assert.Equal(Convert.ToInt64(rows[0][0], System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(parts[0][0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(folders, Convert.ToInt64(parts[0][1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(Convert.ToInt64(parts[0][2], System.Globalization.CultureInfo.InvariantCulture) > 0, "Ariège's code read back as the text 09");
    }

    [Fact]
    public async Task The_parts_conform_to_schema_partition_json_and_a_version_published_before_it_names_no_schema_for_them()
    {
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "sirene-automobile"));
        var version = site.Path("datasets", "sirene-automobile", "2026-11-25");
        using (var partSchema = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(version, DataPackage.PartSchemaFileName))))
        using (var package = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(version, "datapackage.json"))))
        {
            // The file says what datapackage.json says of each part.
            foreach (var part in package.RootElement.GetProperty("resources").EnumerateArray().Where(r => r.TryGetProperty("partition", out _)))
            {
                Assert.True(JsonElement.DeepEquals(partSchema.RootElement, part.GetProperty("schema")));
            }
        }

        static List<(string Title, string? ConformsTo)> Parts(string catalog)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(catalog));
            return [.. json.RootElement.GetProperty("dcat:dataset")[0].GetProperty("dcat:distribution").EnumerateArray()
                .Select(d => (d.GetProperty("dct:title").GetProperty("@value").GetString()!, d.TryGetProperty("dct:conformsTo", out var c) ? c.GetProperty("@id").GetString() : null))];
        }

        var parts = Parts(site.Path("catalog.jsonld")).Where(p => p.Title.Contains("partie", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(parts);
        Assert.All(parts, p => Assert.EndsWith("/datasets/sirene-automobile/latest/schema-partition.json", p.ConformsTo, StringComparison.Ordinal));

        // A tree whose latest version came before schema-partition.json (a build before it): republished
        // with the same data, no version is made, and its parts name no schema rather than schema.json.
        var manifestPath = site.Path("releases.json");
        OpenData.Releases.ReleaseManifest manifest;
        using (var stream = File.OpenRead(manifestPath))
        {
            manifest = OpenData.Releases.ReleaseManifest.Parse(stream, manifestPath);
        }

        Assert.Equal(1, manifest.Datasets[0].Versions[0].Files.RemoveAll(f => f.Name == DataPackage.PartSchemaFileName));
        File.WriteAllBytes(manifestPath, manifest.ToUtf8Bytes());
        File.Delete(Path.Combine(version, DataPackage.PartSchemaFileName));
        File.Delete(site.Path("datasets", "sirene-automobile", "latest", DataPackage.PartSchemaFileName));
        site.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "sirene-automobile"));

        Assert.Contains("no new version", site.Output, StringComparison.Ordinal);
        var after = Parts(site.Path("catalog.jsonld"));
        Assert.Contains(after, p => p.Title.Contains("partie", StringComparison.Ordinal));
        Assert.Contains(after, p => !p.Title.Contains("partie", StringComparison.Ordinal));
        Assert.All(after.Where(p => p.Title.Contains("partie", StringComparison.Ordinal)), p => Assert.Null(p.ConformsTo));
        Assert.All(after.Where(p => !p.Title.Contains("partie", StringComparison.Ordinal)), p => Assert.EndsWith("/datasets/sirene-automobile/latest/schema.json", p.ConformsTo, StringComparison.Ordinal));
        await Site.CatalogTests.AssertConformsToShapesAsync(site.Path("catalog.jsonld"));
    }

    [Fact]
    public async Task A_stale_file_in_latest_goes_at_the_next_publish_even_when_the_data_have_not_changed()
    {
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "sirene-automobile"));
        var latest = site.Path("datasets", "sirene-automobile", "latest");
        var kept = Directory.GetFiles(latest, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

        // What a run stopped before its clean-up leaves (or an older build): a part no version has now.
        var stale = Path.Combine(latest, "sirene-automobile", "code_departement=99", PartitionedParquetWriter.PartFile);
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        File.WriteAllText(stale, "old rows");
        site.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "sirene-automobile"));

        Assert.Contains("no new version", site.Output, StringComparison.Ordinal);
        Assert.Equal(kept, Directory.GetFiles(latest, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(Path.GetDirectoryName(stale)));
        Assert.Contains("1 no longer published removed from latest/", site.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_distinct_values_than_max_partitions_fail_the_run_and_publish_nothing()
    {
        using var site = new DemoSite();
        var pipelines = PipelineCopy(site, yaml => yaml.Replace("  partition_by: code_departement", "  partition_by: code_departement\n  max_partitions: 3", StringComparison.Ordinal));

        Assert.Equal(1, await site.RunAsync("publish", $"--Pipeline:Directory={pipelines}"));

        Assert.Contains("more than 3 distinct values of 'code_departement'", site.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(site.Path("datasets")));
    }

    [Theory]
    [InlineData("31", "code_departement=31")]
    [InlineData("2A", "code_departement=2A")]
    [InlineData("a/b c=é", "code_departement=a%2Fb%20c%3Dé")]
    [InlineData("Ariège", "code_departement=Ariège")]
    [InlineData("50%", "code_departement=50%25")]
    [InlineData("Provence-Alpes-Côte d'Azur", "code_departement=Provence-Alpes-Côte%20d%27Azur")]
    [InlineData("x€y", "code_departement=x%E2%82%ACy")]
    [InlineData("..", "code_departement=..")]
    [InlineData(null, "code_departement=__HIVE_DEFAULT_PARTITION__")]
    public void Partition_folder_names_are_escaped_as_hive_escapes_them(string? value, string expected) =>
        Assert.Equal(expected, PartitionedParquetWriter.Segment("code_departement", value));

    /// <summary>
    /// A schema.json is a dataset author's text: a field named with '/' or '..' partitioned on must
    /// stay one folder under the dataset's, as Hive escapes a column's name too, never a path that
    /// climbs out of the build folder (and from there into the published tree or another prefix).
    /// </summary>
    [Theory]
    [InlineData("../../evasion")]
    [InlineData("a/b")]
    [InlineData("..\\x")]
    public async Task A_partition_fields_name_never_makes_a_path_outside_the_datasets_folder(string field)
    {
        var schema = new TableSchema { Fields = [new SchemaField { Name = "identifiant", Type = "string" }, new SchemaField { Name = field, Type = "string" }] };
        var batch = new ColumnBatch(["identifiant", field], 2);
        var row = batch.AddRow(2);
        batch.Set(row, 0, "id-1");
        batch.Set(row, 1, "31");

        using var temp = new TempFolder();
        var build = Directory.CreateDirectory(temp.Combine("build")).FullName;
        var writer = new PartitionedParquetWriter(build, "t", schema, field, maxPartitions: 5, new Dictionary<string, string>());
        await using (writer)
        {
            await writer.WriteAsync(batch, CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }

        var written = Directory.GetFiles(temp.Path, "*", SearchOption.AllDirectories);
        var part = Assert.Single(written);
        Assert.Equal(Path.Combine(build, "t"), Path.GetDirectoryName(Path.GetDirectoryName(part)));
        var relative = Assert.Single(writer.Files);
        Assert.Equal(3, relative.Split('/').Length);
        Assert.DoesNotContain("/../", "/" + relative, StringComparison.Ordinal);
        Assert.Equal(Path.GetFullPath(Path.Combine(build, relative)), part);
    }

    [Fact]
    public async Task Awkward_partition_values_read_back_by_DuckDB_as_they_were_and_name_distinct_resources()
    {
        string?[] values = ["31", "2A", "a/b c=é", "Ariège", "50%", "Provence-Alpes-Côte d'Azur", "x€y", "a b", "a-20b", null];
        var schema = new TableSchema { Fields = [new SchemaField { Name = "identifiant", Type = "string" }, new SchemaField { Name = "lieu", Type = "string" }] };
        var batch = new ColumnBatch(["identifiant", "lieu"], values.Length * 2);
        for (var i = 0; i < values.Length * 2; i++)
        {
            var row = batch.AddRow(i + 2);
            batch.Set(row, 0, $"id-{i:D2}");
            batch.Set(row, 1, values[i % values.Length]);
        }

        using var temp = new TempFolder();
        var writer = new PartitionedParquetWriter(temp.Path, "t", schema, "lieu", maxPartitions: 50, new Dictionary<string, string>());
        await using (writer)
        {
            await writer.WriteAsync(batch, CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(values.Length, writer.Files.Count);
        var glob = DuckDb.Quote(Path.Combine(temp.Path, "t", "**", "*.parquet"));
        var read = DuckDb.Query($"SELECT identifiant, lieu FROM read_parquet({glob}, hive_partitioning = true, hive_types_autocast = false) ORDER BY identifiant");
        Assert.Equal(
            Enumerable.Range(0, values.Length * 2).Select(i => $"id-{i:D2}|{values[i % values.Length]}"),
            read.Select(r => $"{r[0]}|{r[1] as string}"));

        // datapackage.json: one resource per part, names unique although the slugs of "a b" and "a-20b" meet.
        var files = writer.Files.Select(f => new DataFile(f, "parquet", "application/vnd.apache.parquet", 1, "00")).ToList();
        var pipeline = OpenData.Pipelines.PipelineLoader.LoadAll(Repo.Pipelines).Single(p => p.Id == "sirene-automobile");
        using var package = JsonDocument.Parse(DataPackage.Build(pipeline, "v", DateTimeOffset.UnixEpoch, files));
        var resources = package.RootElement.GetProperty("resources").EnumerateArray().ToList();
        Assert.Equal(resources.Count, resources.Select(r => r.GetProperty("name").GetString()).Distinct().Count());
        Assert.Equal(values.Order(StringComparer.Ordinal), resources.Select(r => r.GetProperty("partition").GetProperty("value").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_values_rows_wait_across_batches_for_row_groups_of_a_batch_not_a_batchs_few_rows()
    {
        // 1,000 rows in batches of 100: "31" 60 %, "34" 20 %, "09" 10 %, ten rare values 1 % each.
        string Value(int i) => (i % 100) switch { < 60 => "31", < 80 => "34", < 90 => "09", var r => $"r{r - 90}" };
        var schema = new TableSchema { Fields = [new SchemaField { Name = "identifiant", Type = "string" }, new SchemaField { Name = "lieu", Type = "string" }] };
        using var temp = new TempFolder();
        var writer = new PartitionedParquetWriter(temp.Path, "t", schema, "lieu", maxPartitions: 50, new Dictionary<string, string>());
        await using (writer)
        {
            var batch = new ColumnBatch(["identifiant", "lieu"], 100);
            for (var i = 0; i < 1_000; i++)
            {
                var row = batch.AddRow(i + 2);
                batch.Set(row, 0, $"id-{i:D4}");
                batch.Set(row, 1, Value((i * 37) % 1_000)); // values interleaved through every batch
                if (batch.IsFull)
                {
                    await writer.WriteAsync(batch, CancellationToken.None);
                    batch.Clear();
                }
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        var glob = DuckDb.Quote(Path.Combine(temp.Path, "t", "**", "*.parquet"));
        var groups = DuckDb.Query($"SELECT file_name, row_group_id, any_value(row_group_num_rows) FROM parquet_metadata({glob}) GROUP BY ALL ORDER BY ALL")
            .Select(r => (File: (string)r[0]!, Rows: Convert.ToInt64(r[2], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var largest = groups.Where(g => g.File.Contains("lieu=31", StringComparison.Ordinal)).Select(g => g.Rows).ToList();
        Assert.Equal(600L, largest.Sum());
        Assert.True(largest.Count <= 7 && largest.Take(largest.Count - 1).All(r => r >= 50), $"'31' in row groups of {string.Join(", ", largest)}");
        Assert.All(groups, g => Assert.InRange(g.Rows, 1, 100));
        Assert.True(groups.Count <= 25, $"{groups.Count} row groups for 13 values; one per value per batch made {10 * 13}");

        // Every row, in its input order within its value.
        var read = DuckDb.Query($"SELECT lieu, string_agg(identifiant, ',' ORDER BY file_row_number) FROM read_parquet({glob}, hive_partitioning = true, hive_types_autocast = false, file_row_number = true) GROUP BY lieu ORDER BY lieu");
        var expected = Enumerable.Range(0, 1_000).GroupBy(i => Value((i * 37) % 1_000)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}|{string.Join(",", g.Select(i => $"id-{i:D4}"))}");
        Assert.Equal(expected, read.Select(r => $"{r[0]}|{r[1]}"));
    }

    [Theory]
    [InlineData("2A", "2a", "would share the folder 'lieu=2a'")]
    [InlineData(null, "__HIVE_DEFAULT_PARTITION__", "would share the folder 'lieu=__HIVE_DEFAULT_PARTITION__'")]
    [InlineData("31", null, null)]
    public async Task Two_values_that_would_share_a_folder_stop_the_run_clearly(string? first, string? second, string? expected)
    {
        var schema = new TableSchema { Fields = [new SchemaField { Name = "identifiant", Type = "string" }, new SchemaField { Name = "lieu", Type = "string" }] };
        var batch = new ColumnBatch(["identifiant", "lieu"], 2);
        batch.Set(batch.AddRow(2), 1, first);
        batch.Set(batch.AddRow(3), 1, second);
        using var temp = new TempFolder();
        await using var writer = new PartitionedParquetWriter(temp.Path, "t", schema, "lieu", maxPartitions: 10, new Dictionary<string, string>());
        await writer.WriteAsync(batch, CancellationToken.None);
        if (expected is null)
        {
            await writer.CompleteAsync(CancellationToken.None);
            Assert.Equal(2, writer.Files.Count);
            return;
        }

        var e = await Assert.ThrowsAsync<PipelineException>(() => writer.CompleteAsync(CancellationToken.None));
        Assert.Contains(expected, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_value_too_long_for_a_folder_name_stops_the_run_clearly()
    {
        var schema = new TableSchema { Fields = [new SchemaField { Name = "lieu", Type = "string" }] };
        var batch = new ColumnBatch(["lieu"], 1);
        batch.Set(batch.AddRow(2), 0, new string('é', 130)); // 260 bytes of UTF-8
        using var temp = new TempFolder();
        await using var writer = new PartitionedParquetWriter(temp.Path, "t", schema, "lieu", maxPartitions: 10, new Dictionary<string, string>());
        var e = await Assert.ThrowsAsync<PipelineException>(async () =>
        {
            await writer.WriteAsync(batch, CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        });
        Assert.Contains("above the 255 file systems allow", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("acteurs.csv", "acteurs.csv")]
    [InlineData("t/lieu=31/part-0.parquet", "t/lieu=31/part-0.parquet")]
    [InlineData("t/lieu=a%2Fb%20c/part-0.parquet", "t/lieu=a%252Fb%2520c/part-0.parquet")]
    [InlineData("t/lieu=Ariège/part-0.parquet", "t/lieu=Ari%C3%A8ge/part-0.parquet")]
    public void Links_to_a_part_ask_for_its_folder_by_its_real_name(string path, string url) =>
        Assert.Equal(url, OpenData.Publishing.PublishedFiles.UrlPath(path));

    [Fact]
    public async Task Partition_folders_publish_to_a_blob_container_with_their_equals_signs()
    {
        var endpoint = Environment.GetEnvironmentVariable("AZURITE_BLOB_ENDPOINT");
        Assert.False(string.IsNullOrEmpty(endpoint), "AZURITE_BLOB_ENDPOINT is not set: run the tests with scripts/test.sh, which starts Azurite.");
        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Azurite.DevelopmentKey};BlobEndpoint={endpoint};";
        var container = new BlobServiceClient(connection, new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06)).GetBlobContainerClient("sirene" + Guid.NewGuid().ToString("N"));
        await container.CreateAsync();
        using var site = new DemoSite();

        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "sirene-automobile", "--Publishing:Target=AzureBlob",
            $"--Publishing:Azure:ConnectionString={connection}", $"--Publishing:Azure:Container={container.Name}", "--Publishing:Azure:ServiceVersion=2026-06-06"));

        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = "datasets/sirene-automobile/" }))
        {
            names.Add(blob.Name);
        }

        Assert.Contains("datasets/sirene-automobile/2026-11-25/sirene-automobile/code_departement=31/part-0.parquet", names);
        Assert.Contains("datasets/sirene-automobile/latest/sirene-automobile/code_departement=31/part-0.parquet", names);
        var download = await container.GetBlobClient("datasets/sirene-automobile/latest/sirene-automobile/code_departement=31/part-0.parquet").DownloadContentAsync();
        Assert.Equal("application/vnd.apache.parquet", download.Value.Details.ContentType);
        Assert.Equal((byte)'P', download.Value.Content.ToArray()[0]); // PAR1 magic
    }
}

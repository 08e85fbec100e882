using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Sources;
using Azure.Storage.Blobs;

namespace Automotech.OpenData.Tests.Sources;

/// <summary>
/// Reading a source from a blob container, against Azurite (started by scripts/test.sh; these
/// tests fail, never skip, without it). Each test uses a container of its own.
/// </summary>
public sealed class BlobSourceTests
{
    private const string DevelopmentKey = Azurite.DevelopmentKey;

    private static string ConnectionString => Azurite.ConnectionString;

    private static async Task<BlobContainerClient> NewContainerAsync()
    {
        var service = new BlobServiceClient(ConnectionString, new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06));
        var container = service.GetBlobContainerClient("src" + Guid.NewGuid().ToString("N"));
        await container.CreateAsync();
        return container;
    }

    /// <summary>An azure-blob source of two fields, nom and effectif, on Azurite.</summary>
    private static BlobSource NomEffectif(BlobContainerClient container, string blob, int batchSize) => BlobSource.Create(
        new SourceDefinition
        {
            Kind = "azure-blob",
            Container = container.Name,
            Blob = blob,
            ConnectionSetting = "Sources:Blob:ConnectionString",
            ServiceVersion = "2026-06-06",
            Schema = new TableSchema { Fields = [new SchemaField { Name = "nom" }, new SchemaField { Name = "effectif", Type = "integer" }] },
        },
        new RunOptions { Settings = key => key == "Sources:Blob:ConnectionString" ? ConnectionString : null, BatchSize = batchSize });

    private static string BlobYaml(string container, string blob) => $"""
          kind: azure-blob
          container: {container}
          blob: {blob}
          connection_setting: Sources:Blob:ConnectionString
          service_version: "2026-06-06"
        """;

    [Fact]
    public async Task A_csv_blob_publishes_the_same_dataset_as_the_local_file()
    {
        var expected = await SourceTestKit.PublishedFromCsvAsync();
        var container = await NewContainerAsync();
        await container.GetBlobClient("exports/acteurs.csv").UploadAsync(Repo.DemoSource);
        using var temp = new TempFolder();
        var pipelines = SourceTestKit.ActeursWithSource(temp, BlobYaml(container.Name, "exports/acteurs.csv"));
        using var site = new EndToEnd.DemoSite();
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", $"--Sources:Blob:ConnectionString={ConnectionString}", $"--Anonymisation:Key={new string('k', 40)}"));
        Assert.Equal(expected, File.ReadAllBytes(site.Path("datasets", "acteurs", "latest", "acteurs.csv")));
        Assert.Contains("acteurs: new version", site.Log, StringComparison.Ordinal); // the log was read
        Assert.DoesNotContain(DevelopmentKey, site.Output + site.Error + site.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_xlsx_blob_is_read_through_ranged_reads()
    {
        var container = await NewContainerAsync();
        var b = new XlsxBuilder();
        b.Sheet("Feuil1", XlsxBuilder.Row(1, b.S("A1", "Nom"), b.S("B1", "Effectif")) + XlsxBuilder.Row(2, b.S("A2", "Alpha"), XlsxBuilder.N("B2", "12")));
        await container.GetBlobClient("acteurs.xlsx").UploadAsync(new BinaryData(b.Build()));
        var source = NomEffectif(container, "acteurs.xlsx", batchSize: 10_000);
        var (rows, _) = await SourceTestKit.ReadAllAsync(source);
        SourceTestKit.AssertRow(rows.Single().Values, "Alpha", "12");
        Assert.Equal("xlsx, sheet n° 1 (the first visible worksheet)", source.Details); // a tab's name is the workbook's text
    }

    [Fact]
    public async Task A_blob_replaced_while_it_is_read_fails_the_run_instead_of_mixing_two_versions()
    {
        // 12 MB of rows: more than one 4 MiB ranged read, so the reader comes back for more.
        var container = await NewContainerAsync();
        var blob = container.GetBlobClient("exports/grand.csv");
        var content = new System.Text.StringBuilder("nom,effectif\n");
        for (var i = 0; content.Length < 12_000_000; i++)
        {
            content.Append(System.Globalization.CultureInfo.InvariantCulture, $"Entreprise numéro {i} de la liste d'exemple,{i % 500}\n");
        }

        await blob.UploadAsync(BinaryData.FromString(content.ToString()));
        var source = NomEffectif(container, "exports/grand.csv", batchSize: 1_000);
        var batches = source.ReadAsync(new RejectList(), CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await batches.MoveNextAsync()); // reading has begun

        await blob.UploadAsync(BinaryData.FromString("nom,effectif\nAutre,1\n"), overwrite: true);
        var e = await Assert.ThrowsAsync<PipelineException>(async () =>
        {
            while (await batches.MoveNextAsync())
            {
            }
        });
        Assert.Contains($"could not be read to the end: HTTP 412", e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing is published", e.Message, StringComparison.Ordinal);
        await batches.DisposeAsync();
    }

    [Fact]
    public async Task A_missing_blob_is_a_clear_error_and_publishes_nothing()
    {
        var container = await NewContainerAsync();
        using var temp = new TempFolder();
        var pipelines = SourceTestKit.ActeursWithSource(temp, BlobYaml(container.Name, "absent.csv"));
        using var site = new EndToEnd.DemoSite();
        Assert.Equal(1, await site.RunAsync("publish", "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", $"--Sources:Blob:ConnectionString={ConnectionString}", $"--Anonymisation:Key={new string('k', 40)}"));
        Assert.Matches($"^error: blob {container.Name}/absent.csv at http://127.0.0.1:[0-9]+ cannot be opened: not found \\(BlobNotFound\\): check source.container and source.blob. Nothing is published.", site.Error);
        Assert.NotEmpty(site.Log); // the run's log was read (the failure itself is said on standard error)
        Assert.DoesNotContain(DevelopmentKey, site.Output + site.Error + site.Log, StringComparison.Ordinal);
        Assert.False(site.PublishedAnything);
    }

    [Fact]
    public async Task A_connection_setting_that_is_not_configured_is_a_clear_error()
    {
        using var temp = new TempFolder();
        var pipelines = SourceTestKit.ActeursWithSource(temp, BlobYaml("any", "acteurs.csv"));
        using var site = new EndToEnd.DemoSite();
        Assert.Equal(1, await site.RunAsync("validate", "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}"));
        Assert.Contains("source.connection_setting names 'Sources:Blob:ConnectionString', which is not configured (set it in the environment as Sources__Blob__ConnectionString", site.Error, StringComparison.Ordinal);
    }
}

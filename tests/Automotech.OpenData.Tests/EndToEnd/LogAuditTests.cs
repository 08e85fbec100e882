using System.Text.Json;
using Automotech.OpenData.Tests.Sources;

namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>
/// The log of every path, read at Trace (what an operator troubleshooting CI turns on, and CI logs
/// are kept and widely readable), holds no secret and no personal value: neither the key, nor a
/// storage credential, nor a source's token or password, nor a person's name, e-mail, phone or a
/// sole trader's SIRET, nor the cell of a rejected row. Each check first shows that the log was
/// read and that the path ran (a line it writes), then looks for each value, ignoring case.
/// </summary>
[Collection(nameof(Worker.ProcessExitCode))]
public sealed class LogAuditTests
{
    private const string Key = "cle-de-l-audit-des-logs-0123456789-abcdef";

    /// <summary>What an operator adds to see everything (the environment's Logging__LogLevel__Default=Trace does the same).</summary>
    private static readonly string[] TraceLevel = ["--Logging:LogLevel:Default=Trace", "--Logging:LogLevel:Microsoft=Trace", "--Logging:LogLevel:System=Trace"];

    /// <summary>Cells planted in companies' rows that the validation rejects: private, they stay in the quarantine.</summary>
    private static readonly (string Column, string Value)[] Rejected =
    [
        ("siret", "73405323499999"),                 // a SIRET whose check digit is wrong
        ("code_postal", "ZQ-postal-plante-4471"),
        ("effectif", "effectif-plante-8830"),
        ("date_adhesion", "le-31-fevrier-plante"),
        ("latitude", "latitude-plantee-5512"),
    ];

    /// <summary>The demo source's personal values: contacts' names, e-mails, phones, and natural persons' names, SIRETs and websites.</summary>
    internal static HashSet<string> PersonalValues()
    {
        var values = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in PublishDemoTests.SourceRows())
        {
            values.Add($"{row["contact_prenom"]} {row["contact_nom"]}");
            values.Add(row["contact_email"]);
            values.Add(row["contact_telephone"]);
            values.Add(PublishDemoTests.Digits(row["contact_telephone"]));
            if (row["categorie_juridique"].StartsWith('1') || row["statut_diffusion"] == "P")
            {
                values.Add(row["raison_sociale"]);
                values.Add(row["siret"]);
                values.Add(row["site_web"]);
                values.Add(row["adresse"]);
            }
        }

        values.RemoveWhere(s => s.Trim().Length < 8);
        Assert.Contains(values, v => v.Contains('@', StringComparison.Ordinal)); // the values were found
        return values;
    }

    /// <summary>The log is not empty, shows the path ran, and holds none of <paramref name="forbidden"/> (case ignored).</summary>
    internal static void AssertClean(string log, string ran, IEnumerable<string> forbidden)
    {
        Assert.False(string.IsNullOrWhiteSpace(log), "the run's log is empty: nothing was read");
        Assert.True(log.Contains(ran, StringComparison.Ordinal), $"the log does not show the path ran ('{ran}'):\n{log}");
        var leaks = forbidden.Where(v => v.Length > 0 && log.Contains(v, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(leaks.Count == 0, $"the log holds {string.Join(" | ", leaks)}:\n{log}");
    }

    /// <summary>The demo source with <see cref="Rejected"/> planted, one per company row (its rows 2 to 6 are companies').</summary>
    private static string SourceWithRejectedCells(string path)
    {
        var rows = PublishDemoTests.ReadCsv(Repo.DemoSource);
        var header = rows[0];
        var (category, diffusion) = (Array.IndexOf(header, "categorie_juridique"), Array.IndexOf(header, "statut_diffusion"));
        var planted = 0;
        for (var i = 1; i < rows.Count && planted < Rejected.Length; i++)
        {
            if (!rows[i][category].StartsWith('1') && rows[i][diffusion] != "P")
            {
                rows[i][Array.IndexOf(header, Rejected[planted].Column)] = Rejected[planted].Value;
                planted++;
            }
        }

        Assert.Equal(Rejected.Length, planted);
        File.WriteAllLines(path, rows.Select(r => string.Join(",", r.Select(c => "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))));
        return path;
    }

    /// <summary>
    /// Runs the <c>run</c> verb until its first occurrence has published or failed, then stops it:
    /// the scheduled host logs a failure's reason, which <c>publish</c> says on standard error.
    /// </summary>
    internal static async Task RunOneOccurrenceAsync(DemoSite site, params string[] args)
    {
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => site.RunAsync(stop.Token, ["run", "--Schedule:Cron=0 * * * *", .. args, .. TraceLevel]));
        // This run's log, not the last run's (until the task sets it), once its host has started
        // (a stop before that is not a graceful one) and its schedule has said when it runs.
        await Eventually.WaitAsync(
            () => site.Log is var log && log.Contains("Hosting started", StringComparison.Ordinal) && log.Contains("Next publish at ", StringComparison.Ordinal) && !log.Contains("Hosting stopping", StringComparison.Ordinal),
            "the host started and its schedule's first 'Next publish at'", () => site.Log, poll: TimeSpan.FromMilliseconds(100));

        Assert.DoesNotContain("Scheduled publish", site.Log, StringComparison.Ordinal);
        await Eventually.WaitAsync(() => site.Log.Contains("Scheduled publish", StringComparison.Ordinal) || run.IsCompleted, "the first occurrence's outcome in the log",
            () => $"{site.Error}\n{site.Log}", meanwhile: () => site.Clock.Advance(TimeSpan.FromMinutes(31)), poll: TimeSpan.FromMilliseconds(100));

        await site.WaitForLogAsync("Scheduled publish");
        await site.WaitForLogAsync("Next publish at ", times: 2);
        await stop.CancelAsync();
        var code = await run.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(code == 0, $"run exited {code}: {site.Error}\n{site.Log}");
    }

    private static IEnumerable<string> Forbidden(params string[] more) => [.. PersonalValues(), .. Rejected.Select(r => r.Value), Key, .. more];

    [Fact]
    public async Task Validate_publish_and_verify_with_rejected_rows_log_no_key_no_personal_value_and_no_rejected_cell_at_trace()
    {
        using var site = new DemoSite();
        var source = SourceWithRejectedCells(site.Temp("rejets-plantes.csv"));

        Assert.Equal(0, await site.RunAsync(["validate", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={Key}", .. TraceLevel]));
        AssertClean(site.Log, "acteurs: source read", Forbidden());
        Assert.Contains("siret-error on siret: 1 row(s)", site.Log, StringComparison.Ordinal); // the rejections are logged, as counts
        AssertClean(site.Output, "siret-error", Forbidden()); // and validate's report (CI keeps standard output too) names lines, not values

        Assert.Equal(0, await site.RunAsync(["publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={Key}", .. TraceLevel]));
        AssertClean(site.Log, "acteurs: new version", Forbidden());
        var rejets = Directory.EnumerateFiles(site.Quarantine, "rejets.*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(rejets); // the values are in the quarantine, private
        Assert.Contains(rejets, f => File.ReadAllText(f).Contains(Rejected[1].Value, StringComparison.Ordinal));

        // verify logs nothing of its own: its host's lines show it ran; its findings are its output.
        Assert.Equal(0, await site.RunAsync(["verify", .. TraceLevel]));
        Assert.NotEmpty(site.Output);
        AssertClean(site.Log, "Hosting stopped", Forbidden());
    }

    [Fact]
    public async Task A_bad_source_above_the_threshold_and_a_bad_key_log_no_value_at_trace()
    {
        using var site = new DemoSite();
        var rows = PublishDemoTests.ReadCsv(Repo.DemoSource);
        var siret = Array.IndexOf(rows[0], "siret");
        foreach (var row in rows.Skip(1))
        {
            row[siret] += "-plante";
        }

        var source = site.Temp("tout-rejete.csv");
        File.WriteAllLines(source, rows.Select(r => string.Join(",", r.Select(c => "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))));
        Assert.Equal(1, await site.RunAsync(["publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={Key}", .. TraceLevel]));
        AssertClean(site.Log, "acteurs: source read", Forbidden([.. rows.Skip(1).Select(r => r[siret])]));

        // A key too short is refused, without being quoted.
        Assert.Equal(1, await site.RunAsync(["publish", "--pipeline", "acteurs", "--Anonymisation:Key=courte-cle-plantee", .. TraceLevel]));
        Assert.Contains("Anonymisation:Key", site.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("courte-cle-plantee", site.Error, StringComparison.Ordinal);
        AssertClean(site.Log, "Hosting stopped", ["courte-cle-plantee"]);
    }

    [Fact]
    public async Task Run_logs_one_occurrence_with_no_key_and_no_personal_value_at_trace()
    {
        using var site = new DemoSite();
        using var temp = new TempFolder();
        var source = SourceWithRejectedCells(site.Temp("rejets-plantes.csv"));
        var pipelines = SourceTestKit.ActeursWithSource(temp, $"  kind: csv\n  path: {source}\n");
        await RunOneOccurrenceAsync(site, "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", $"--Anonymisation:Key={Key}");
        Assert.Contains("Scheduled publish done", site.Log, StringComparison.Ordinal);
        AssertClean(site.Log, "acteurs: new version", Forbidden());
    }

    [Fact]
    public async Task An_http_api_that_answers_then_refuses_then_fails_logs_no_token_and_no_personal_value_at_trace()
    {
        var (header, rows) = SourceTestKit.DemoRows();
        var token = "jeton-porteur-" + Guid.NewGuid().ToString("N");
        var setting = "Sources:Audit" + Guid.NewGuid().ToString("N") + ":Token";
        var status = 200;
        await using var server = new TestHttpServer(r =>
        {
            if (status != 200)
            {
                return new TestHttpServer.Reply(status, "{\"error\":\"refus\"}");
            }

            Assert.Equal($"Bearer {token}", r.Headers.GetValueOrDefault("Authorization"));
            var page = int.Parse(r.Query("p")!, System.Globalization.CultureInfo.InvariantCulture);
            var records = SourceTestKit.DemoRecords(header, rows, page);
            return TestHttpServer.Json(JsonSerializer.Serialize(new { records }));
        });
        using var temp = new TempFolder();
        var pipelines = SourceTestKit.ActeursWithSource(temp, $$"""
              kind: http-json
              url: {{server.Url}}acteurs?api_key=CLE-DANS-LA-REQUETE-7781
              items: records
              paging: { style: page, page_param: p, size_param: n, size: 100 }
              auth: { bearer_token_setting: "{{setting}}" }
              http: { timeout_seconds: 5, max_retries: 1, retry_delay_seconds: 0.01 }
            """);
        using var site = new DemoSite();
        string[] args = ["publish", "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", $"--Anonymisation:Key={Key}", $"--{setting}={token}", .. TraceLevel];
        var forbidden = Forbidden(token, "CLE-DANS-LA-REQUETE-7781");

        Assert.Equal(0, await site.RunAsync(args));
        AssertClean(site.Log, "acteurs: new version", forbidden);

        // The scheduled host logs a failure's reason (publish says it on standard error).
        status = 401;
        site.Clock.Advance(TimeSpan.FromDays(1));
        await RunOneOccurrenceAsync(site, [.. args[1..^TraceLevel.Length]]);
        AssertClean(site.Log, "Scheduled publish failed, nothing published; the next occurrence will try again: " + server.Url + "acteurs (page 1): HTTP 401", forbidden);

        status = 500;
        site.Clock.Advance(TimeSpan.FromDays(1));
        await RunOneOccurrenceAsync(site, [.. args[1..^TraceLevel.Length]]);
        AssertClean(site.Log, "attempt 1 failed (HTTP 500)", forbidden); // the retry is logged, without the URL's query or the token
        Assert.Contains("Scheduled publish failed, nothing published", site.Log, StringComparison.Ordinal);

        // A password in the URL is refused, and not quoted.
        var withPassword = SourceTestKit.ActeursWithSource(temp, $"""
              kind: http-json
              url: http://auditeur:mot-de-passe-plante-9912@127.0.0.1:{server.Url.Port}/acteurs
              items: records
            """);
        Assert.Equal(1, await site.RunAsync(["validate", "--pipeline", "acteurs", $"--Pipeline:Directory={withPassword}", .. TraceLevel]));
        Assert.Contains("must not hold credentials", site.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("mot-de-passe-plante-9912", site.Error, StringComparison.Ordinal);
        AssertClean(site.Log, "Hosting stopped", ["mot-de-passe-plante-9912", "auditeur:"]);
    }

    [Fact]
    public async Task A_malformed_json_body_is_located_without_quoting_it_in_the_log_or_the_error()
    {
        // An API that writes a value unquoted: System.Text.Json's message quotes the invalid literal
        // and what follows it (here an e-mail and a name), and the run's reason is logged.
        const string Body = "{\"records\": [{\"raison_sociale\": \"Atelier\", \"contact_email\": nathalie.plantee@exemple-prive.fr, \"contact_nom\": \"Plantefeuille\"}]}";
        await using var server = new TestHttpServer(_ => TestHttpServer.Json(Body));
        using var temp = new TempFolder();
        var pipelines = SourceTestKit.ActeursWithSource(temp, $$"""
              kind: http-json
              url: {{server.Url}}acteurs
              items: records
              http: { timeout_seconds: 5, max_retries: 0 }
            """);
        using var site = new DemoSite();
        string[] forbidden = ["nathalie.plantee", "exemple-prive", "Plantefeuille"];
        await RunOneOccurrenceAsync(site, "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", $"--Anonymisation:Key={Key}");
        AssertClean(site.Log, $"Scheduled publish failed, nothing published; the next occurrence will try again: {server.Url}acteurs (page 1): the body is not valid JSON", forbidden);
        Assert.Contains("(line 1, byte 62)", site.Log, StringComparison.Ordinal); // located all the same

        Assert.Equal(1, await site.RunAsync(["publish", "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", $"--Anonymisation:Key={Key}", .. TraceLevel]));
        Assert.Equal($"error: {server.Url}acteurs (page 1): the body is not valid JSON, malformed or cut short (line 1, byte 62). Nothing is published.", site.Error.Trim());
    }

    [Theory]
    [InlineData(400, 0, "HTTP 400 Bad Request after 1 attempt(s)")]       // refused at once
    [InlineData(503, 1, "HTTP 503 Service Unavailable after 2 attempt(s)")] // retried, the retry logged
    public async Task A_reason_phrase_is_not_repeated_in_the_log_or_the_error(int status, int retries, string said)
    {
        // A server may write anything in its status line's reason phrase, the value it refuses included.
        const string Reason = "Valeur refusee pour contact_email nathalie.plantee@exemple-prive.fr";
        await using var server = new TestHttpServer(_ => new TestHttpServer.Reply(status, Reason: Reason));
        using var temp = new TempFolder();
        var pipelines = SourceTestKit.ActeursWithSource(temp, $$"""
              kind: http-json
              url: {{server.Url}}acteurs
              items: records
              http: { timeout_seconds: 5, max_retries: {{retries}}, retry_delay_seconds: 0.01 }
            """);
        using var site = new DemoSite();
        await RunOneOccurrenceAsync(site, "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", $"--Anonymisation:Key={Key}");
        AssertClean(site.Log, $"Scheduled publish failed, nothing published; the next occurrence will try again: {server.Url}acteurs (page 1): {said}", ["nathalie.plantee", "exemple-prive", "Valeur refusee"]);

        Assert.Equal(1, await site.RunAsync(["publish", "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", $"--Anonymisation:Key={Key}", .. TraceLevel]));
        Assert.StartsWith($"error: {server.Url}acteurs (page 1): {said}", site.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("nathalie.plantee", site.Error, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The status said in place of the server's phrase: the standard one for the code, or the number alone.</summary>
    [Theory]
    [InlineData(503, "HTTP 503 Service Unavailable")]
    [InlineData(207, "HTTP 207 Multi-Status")]
    [InlineData(505, "HTTP 505 Http Version Not Supported")]
    [InlineData(599, "HTTP 599")]
    public void A_status_is_said_by_its_standard_name(int code, string said) =>
        Assert.Equal(said, Automotech.OpenData.Sources.HttpPageFetcher.Status((System.Net.HttpStatusCode)code));

    [Fact]
    public async Task An_xlsx_source_logs_no_personal_value_at_trace()
    {
        using var temp = new TempFolder();
        var (header, rows) = SourceTestKit.DemoRows();
        var b = new XlsxBuilder();
        static string Column(int i) => i < 26 ? ((char)('A' + i)).ToString() : "A" + (char)('A' + i - 26);
        var sheet = new System.Text.StringBuilder(XlsxBuilder.Row(1, [.. header.Select((h, i) => XlsxBuilder.I($"{Column(i)}1", h))]));
        for (var r = 0; r < rows.Count; r++)
        {
            sheet.Append(XlsxBuilder.Row(r + 2, [.. rows[r].Select((v, i) => XlsxBuilder.I($"{Column(i)}{r + 2}", v))]));
        }

        var book = b.Sheet("Acteurs", sheet.ToString()).Save(temp, "acteurs.xlsx");
        var pipelines = SourceTestKit.ActeursWithSource(temp, $"  kind: xlsx\n  path: {book}\n");
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync(["publish", "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", $"--Anonymisation:Key={Key}", .. TraceLevel]));
        AssertClean(site.Log, "acteurs: new version", Forbidden());
    }

    [Fact]
    public async Task A_damaged_xlsx_is_located_without_quoting_its_text_in_the_log_or_the_error()
    {
        // A workbook written by a tool that does not escape '&': the XML reader's message quotes
        // what follows it as an entity's name (here a person's name), and the run's reason is logged.
        using var temp = new TempFolder();
        var (header, rows) = SourceTestKit.DemoRows();
        var b = new XlsxBuilder();
        static string Column(int i) => i < 26 ? ((char)('A' + i)).ToString() : "A" + (char)('A' + i - 26);
        var sheet = XlsxBuilder.Row(1, [.. header.Select((h, i) => XlsxBuilder.I($"{Column(i)}1", h))])
            + XlsxBuilder.Row(2, "<c r=\"A2\" t=\"inlineStr\"><is><t>Atelier &Plantefeuille;</t></is></c>");
        var book = b.Sheet("Acteurs", sheet).Save(temp, "acteurs.xlsx");
        var pipelines = SourceTestKit.ActeursWithSource(temp, $"  kind: xlsx\n  path: {book}\n");
        using var site = new DemoSite();
        await RunOneOccurrenceAsync(site, "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", $"--Anonymisation:Key={Key}");
        AssertClean(site.Log, "the workbook's XML is damaged", ["Plantefeuille"]);
        Assert.Contains("Scheduled publish failed, nothing published", site.Log, StringComparison.Ordinal);

        Assert.Equal(1, await site.RunAsync(["publish", "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", $"--Anonymisation:Key={Key}", .. TraceLevel]));
        Assert.Matches("^error: .*acteurs.xlsx, sheet n° 1 \\(the first visible worksheet\\), after row 1: the workbook's XML is damaged \\(line 2, position [0-9]+\\)\\. Nothing is published\\.$", site.Error.Trim());
    }

    [Fact]
    public async Task A_sirene_source_logs_no_restricted_establishment_at_trace()
    {
        var file = Path.Combine(Repo.Root, "samples", "sirene-etablissements-demo.csv");
        var lines = PublishDemoTests.ReadCsv(file);
        var (siret, diffusion, enseigne) = (Array.IndexOf(lines[0], "siret"), Array.IndexOf(lines[0], "statutDiffusionEtablissement"), Array.IndexOf(lines[0], "enseigne1Etablissement"));
        var restricted = lines.Skip(1).Where(l => l[diffusion] is "P" or "N").SelectMany(l => new[] { l[siret], l[enseigne] }).Where(v => v.Length >= 6).ToList();
        Assert.NotEmpty(restricted);
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync(["publish", "--pipeline", "sirene-automobile", $"--Anonymisation:Key={Key}", .. TraceLevel]));
        AssertClean(site.Log, "sirene-automobile: new version", [.. restricted, Key]);
    }

    [Fact]
    public async Task Azure_publish_verify_and_refused_credentials_log_no_account_key_and_no_signature_at_trace()
    {
        const string Signature = "sig-plantee-jamais-montree-5521";
        var service = new Azure.Storage.Blobs.BlobServiceClient(Azurite.ConnectionString, new Azure.Storage.Blobs.BlobClientOptions(Azure.Storage.Blobs.BlobClientOptions.ServiceVersion.V2026_06_06));
        var container = service.GetBlobContainerClient("audit" + Guid.NewGuid().ToString("N"));
        await container.CreateAsync();
        using var site = new DemoSite();
        var source = SourceWithRejectedCells(site.Temp("rejets-plantes.csv"));
        string[] target = ["--Publishing:Target=AzureBlob", $"--Publishing:Azure:Container={container.Name}", "--Publishing:Azure:ServiceVersion=2026-06-06"];
        var forbidden = Forbidden(Azurite.DevelopmentKey, Signature, "SharedAccessSignature", "AccountKey");

        Assert.Equal(0, await site.RunAsync(["publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={Key}", $"--Publishing:Azure:ConnectionString={Azurite.ConnectionString}", .. target, .. TraceLevel]));
        AssertClean(site.Log, "acteurs: new version", forbidden);

        Assert.Equal(0, await site.RunAsync(["verify", $"--Publishing:Azure:ConnectionString={Azurite.ConnectionString}", .. target, .. TraceLevel]));
        Assert.NotEmpty(site.Output);
        AssertClean(site.Log, "Hosting stopped", forbidden);

        // A shared access signature the account accepts, in the connection string: the target is named by its URL alone.
        var accepted = service.GenerateAccountSasUri(Azure.Storage.Sas.AccountSasPermissions.All, DateTimeOffset.UtcNow.AddHours(1), Azure.Storage.Sas.AccountSasResourceTypes.All).Query.TrimStart('?');
        var acceptedSignature = System.Web.HttpUtility.ParseQueryString(accepted)["sig"]!;
        site.Clock.Advance(TimeSpan.FromDays(1));
        File.WriteAllLines(source, File.ReadAllLines(source)[..^1]); // a new version, uploaded
        Assert.Equal(0, await site.RunAsync(["publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={Key}", $"--Publishing:Azure:ConnectionString=BlobEndpoint={Azurite.Endpoint};SharedAccessSignature={accepted}", .. target, .. TraceLevel]));
        AssertClean(site.Log, $"Published to container {container.Name} at ", [.. forbidden, acceptedSignature, Uri.EscapeDataString(acceptedSignature), "sig="]);

        // A shared access signature the account refuses, in the connection string: the scheduled
        // host logs the failure's reason (publish says it on standard error).
        var sas = $"sv=2026-06-06&ss=b&srt=sco&sp=rwdl&se=2030-01-01T00:00:00Z&sig={Signature}";
        using var temp = new TempFolder();
        var pipelines = SourceTestKit.ActeursWithSource(temp, $"  kind: csv\n  path: {source}\n");
        site.Clock.Advance(TimeSpan.FromDays(1));
        await RunOneOccurrenceAsync(site, ["--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", $"--Anonymisation:Key={Key}", $"--Publishing:Azure:ConnectionString=BlobEndpoint={Azurite.Endpoint};SharedAccessSignature={sas}", .. target]);
        AssertClean(site.Log, "Scheduled publish failed, nothing published; the next occurrence will try again: container " + container.Name, forbidden);
        Assert.Contains("AuthorizationFailure", site.Log, StringComparison.Ordinal);

        // In the account URL (over http: refused before any request, the URL shown without its query).
        Assert.Equal(1, await site.RunAsync(["verify", $"--Publishing:Azure:AccountUrl={Azurite.Endpoint}?{sas}", .. target, .. TraceLevel]));
        Assert.Contains("Publishing:Azure:AccountUrl must be an https:// URL", site.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Signature, site.Error, StringComparison.Ordinal);
        AssertClean(site.Log, "Hosting stopped", forbidden);
    }

    [Fact]
    public async Task A_blob_source_logs_no_connection_string_at_trace()
    {
        var service = new Azure.Storage.Blobs.BlobServiceClient(Azurite.ConnectionString, new Azure.Storage.Blobs.BlobClientOptions(Azure.Storage.Blobs.BlobClientOptions.ServiceVersion.V2026_06_06));
        var container = service.GetBlobContainerClient("auditsrc" + Guid.NewGuid().ToString("N"));
        await container.CreateAsync();
        await container.GetBlobClient("exports/acteurs.csv").UploadAsync(Repo.DemoSource);
        using var temp = new TempFolder();
        var pipelines = SourceTestKit.ActeursWithSource(temp, $"""
              kind: azure-blob
              container: {container.Name}
              blob: exports/acteurs.csv
              connection_setting: Sources:Blob:ConnectionString
              service_version: "2026-06-06"
            """);
        using var site = new DemoSite();
        var forbidden = Forbidden(Azurite.DevelopmentKey, "AccountKey");
        Assert.Equal(0, await site.RunAsync(["publish", "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", $"--Sources:Blob:ConnectionString={Azurite.ConnectionString}", $"--Anonymisation:Key={Key}", .. TraceLevel]));
        AssertClean(site.Log, "acteurs: new version", forbidden);

        // A refused signature on the source.
        site.Clock.Advance(TimeSpan.FromDays(1));
        await RunOneOccurrenceAsync(site, "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", $"--Sources:Blob:ConnectionString=BlobEndpoint={Azurite.Endpoint};SharedAccessSignature=sv=2026-06-06&ss=b&srt=sco&sp=rl&se=2030-01-01T00:00:00Z&sig=sig-source-plantee-3310", $"--Anonymisation:Key={Key}");
        AssertClean(site.Log, $"Scheduled publish failed, nothing published; the next occurrence will try again: blob {container.Name}/exports/acteurs.csv", [.. forbidden, "sig-source-plantee-3310", "SharedAccessSignature"]);
    }
}

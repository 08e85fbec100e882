using System.Diagnostics;
using Automotech.OpenData.Publishing;

namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>Bad input and bad configuration: a clear one-line error, a non-zero exit, nothing half-published.</summary>
public sealed class FailureTests
{
    [Fact]
    public async Task Too_many_bad_rows_fail_the_run_and_leave_the_previous_release_live()
    {
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish"));
        var before = site.Snapshot();

        // A source where one row in five has a broken SIRET: 20 % rejected, over the 5 % threshold.
        var lines = File.ReadAllLines(Repo.DemoSource);
        var broken = lines.Select((line, i) => i > 0 && i % 5 == 0 ? BreakSiret(line) : line);
        var source = site.Temp("bad.csv");
        File.WriteAllLines(source, broken);
        site.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(1, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={new string('k', 40)}"));
        Assert.Matches("^error: acteurs: [0-9]+ of 250 rows rejected .* nothing is published", site.Error);
        Assert.Equal(before, site.Snapshot());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_source_that_breaks_midway_fails_the_run_and_publishes_nothing(bool overlap)
    {
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish"));
        var before = site.Snapshot();

        // Line 151 holds a record of 2 MiB, over the source's max_record_bytes (1 MiB): the
        // reader stops there, after 21 batches of 7 rows went through every stage.
        var lines = File.ReadAllLines(Repo.DemoSource).ToList();
        lines.Insert(150, "\"" + new string('x', 2 << 20));
        var source = site.Temp("broken.csv");
        File.WriteAllLines(source, lines);
        site.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(1, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={new string('k', 40)}",
            "--Pipeline:BatchSize=7", $"--Pipeline:Overlap={overlap}"));
        Assert.Matches("^error: .*broken.csv.*line 15[01].*Nothing is published", site.Error);
        Assert.Equal(before, site.Snapshot());
    }

    [Fact]
    public async Task A_source_other_than_the_demo_refuses_to_run_without_a_key()
    {
        using var site = new DemoSite();
        var copy = site.Temp("copy.csv");
        File.Copy(Repo.DemoSource, copy);
        Assert.Equal(1, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", copy));
        Assert.Contains("Anonymisation:Key is not configured", site.Error, StringComparison.Ordinal);
        Assert.False(site.PublishedAnything);
    }

    [Fact]
    public async Task Validate_checks_a_real_source_without_the_key_since_it_writes_nothing()
    {
        // An operator checks a fresh CRM export before the weekly run, without the secret at hand.
        using var temp = new TempFolder();
        var copy = temp.Combine("copy.csv");
        File.Copy(Repo.DemoSource, copy);
        var (code, stdout, stderr) = await RunBuiltWorkerAsync(temp, ["validate", "--pipeline", "acteurs", "--source", copy], []);
        Assert.True(code == 0, stderr);
        Assert.Contains("acteurs: VALID — 250 rows read, 237 publishable, 5 rejected", stdout, StringComparison.Ordinal);
        Assert.Contains("validate checks the pseudonyms with a random one-off key, since it publishes nothing. publish needs the real key.", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("PUBLIC built-in demo key", stdout + stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("q")), "no quarantine: validate writes nothing but its private scratch");
    }

    [Fact]
    public async Task The_key_never_appears_in_output_logs_or_published_files()
    {
        using var site = new DemoSite();
        var key = "secret-" + Guid.NewGuid().ToString("N");
        var copy = site.Temp("copy.csv");
        File.Copy(Repo.DemoSource, copy);
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", copy, $"--Anonymisation:Key={key}"));
        Assert.Contains("acteurs: new version", site.Log, StringComparison.Ordinal); // the log was read
        Assert.DoesNotContain(key, site.Output + site.Error + site.Log, StringComparison.Ordinal);

        // Each Parquet cell as DuckDB reads it (its columns are compressed: the file's bytes would not show the key).
        var cells = PrivacyTests.PublishedCells(site);
        Assert.Contains(cells, c => c.File.EndsWith(".parquet", StringComparison.Ordinal));
        Assert.DoesNotContain(cells, c => c.Cell.Contains(key, StringComparison.Ordinal));
        foreach (var file in Directory.EnumerateFiles(site.Site, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(key, File.ReadAllText(file), StringComparison.Ordinal);
        }

        // A real key means no demo-key warning on the site.
        Assert.DoesNotContain("clé publique de démonstration", File.ReadAllText(site.Path("index.html")), StringComparison.Ordinal);

        // The logs: in-process, the worker logs to the test process's console, not to site.Output,
        // so they are read here from the built Worker, at the level CI keeps (Information).
        using var temp = new TempFolder();
        var (code, stdout, stderr) = await RunBuiltWorkerAsync(temp, ["publish", "--output", temp.Combine("site")], ["--pipeline", "acteurs", "--source", copy, $"--Anonymisation:Key={key}"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("acteurs: new version ", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(key, stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("publish")]
    [InlineData("validate")]
    public async Task A_source_with_no_record_for_the_aggregate_is_a_clear_error_not_an_internal_one(string verb)
    {
        // An export of prospects only: acteurs is valid, but chiffres-cles counts the members
        // (aggregate.where adherent: oui) and has none; it crashed on a missing grand total, exit 70.
        using var site = new DemoSite();
        var table = PublishDemoTests.ReadCsv(Repo.DemoSource);
        var adherent = Array.IndexOf(table[0], "adherent");
        var since = Array.IndexOf(table[0], "date_adhesion");
        foreach (var cells in table.Skip(1))
        {
            cells[adherent] = "non";
            cells[since] = "";
        }

        static string Quoted(string c) => c.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : c;
        var source = site.Temp("prospects.csv");
        File.WriteAllLines(source, table.Select(cells => string.Join(",", cells.Select(Quoted))));

        Assert.Equal(1, await site.RunAsync(verb, "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={new string('k', 40)}"));
        Assert.Contains("chiffres-cles: no record of acteurs matches aggregate.where (adherent = oui)", site.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", site.Error, StringComparison.Ordinal);
        Assert.False(site.PublishedAnything);
    }

    [Fact]
    public async Task A_missing_source_file_is_a_one_line_error()
    {
        using var site = new DemoSite();
        Assert.Equal(1, await site.RunAsync("validate", "--pipeline", "acteurs", "--source", site.Temp("absent.csv")));
        Assert.Single(site.Error.Trim().Split('\n'));
        Assert.Contains("absent.csv: source file not found", site.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("publish", "--rows", "3")]
    [InlineData("generate", "--rows", "many", "--output", "x.csv")]
    [InlineData("publish", "--pipeline")]
    // Given twice, one would be dropped without a word: only sirene-automobile published, exit 0.
    [InlineData("publish", "--pipeline", "acteurs", "--pipeline", "sirene-automobile")]
    [InlineData("validate", "--source", "a.csv", "--pipeline", "acteurs", "--source", "b.csv")]
    // An empty value (a script's unset variable: --source "$SRC") was an internal error, exit 70.
    [InlineData("validate", "--pipeline", "acteurs", "--source", "")]
    [InlineData("publish", "--output", " ")]
    [InlineData("generate", "--output", "")]
    public async Task A_bad_command_line_exits_2(params string[] args)
    {
        using var site = new DemoSite();
        Assert.Equal(2, await site.RunAsync(args));
        Assert.StartsWith("error: ", site.Error, StringComparison.Ordinal);
    }

    [Theory]
    // A typo in the unattended job's environment would publish to the local folder instead of
    // the container, or a catalogue whose URLs point at the example host, and exit 0.
    [InlineData("--Publishing:Targt=AzureBlob", "Publishing:Targt", "Publishing:Target")]
    [InlineData("--Site:BaseUri=https://data.example.org/", "Site:BaseUri", "Site:BaseUrl")]
    [InlineData("--pipeline:batchsiz=10", "pipeline:batchsiz", "Pipeline:BatchSize")]
    [InlineData("--Publishing:Azure:AcountUrl=https://x.blob.core.windows.net", "Publishing:Azure:AcountUrl", "Publishing:Azure:AccountUrl")]
    public async Task A_misspelt_configuration_key_of_the_workers_sections_stops_the_run(string argument, string key, string meant)
    {
        using var site = new DemoSite();
        Assert.Equal(1, await site.RunAsync("publish", argument));
        Assert.Contains($"unknown configuration key '{key}' (did you mean '{meant}'?)", site.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Single(site.Error.Trim().Split('\n'));
        Assert.False(site.PublishedAnything);
    }

    [Theory]
    [InlineData("https://data.example.org/opendata/?x=1")]
    [InlineData("https://data.example.org/opendata#top")]
    [InlineData("https://publisher:s3cret@data.example.org/")]
    public async Task A_base_url_with_a_query_a_fragment_or_credentials_stops_the_run(string baseUrl)
    {
        // Accepted before: every sitemap, feed and catalogue URL carried the query (…/?x=1/datasets/…),
        // or the user name and password.
        using var site = new DemoSite();
        Assert.Equal(1, await site.RunAsync("publish", $"--Site:BaseUrl={baseUrl}"));
        Assert.Contains("Site:BaseUrl must be a plain http(s) address, without a query ('?'), a fragment ('#') or a user name and password", site.Error, StringComparison.Ordinal);
        Assert.NotEmpty(site.Log); // the run's log was read (the failure itself is said on standard error)
        Assert.DoesNotContain("s3cret", site.Error + site.Output + site.Log, StringComparison.Ordinal);
        Assert.False(site.PublishedAnything);
    }

    [Theory]
    [InlineData("https://data.example.org/opendata/\n")]
    [InlineData("https://data.example.org/opendata\r\n")]
    [InlineData(" https://data.example.org/opendata/ ")]
    [InlineData("https://data.example.org/opendata\t")]
    public async Task A_base_url_with_blanks_around_it_publishes_the_address_without_them(string baseUrl)
    {
        // A CI variable or a secret pasted with its line's end: the '/' the run adds came after the
        // blank, and every URL of the catalogue, the sitemap and the feed was under
        // https://data.example.org/opendata/%0A/, a folder the site does not have; verify, which reads
        // links against the catalogue's own homepage, found the tree sound.
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "chiffres-cles", $"--Site:BaseUrl={baseUrl}"));

        using var catalog = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(site.Path("catalog.jsonld")));
        Assert.Equal("https://data.example.org/opendata/", catalog.RootElement.GetProperty("foaf:homepage").GetProperty("@id").GetString());
        foreach (var file in new[] { "catalog.jsonld", "sitemap.xml", "feed.atom", "robots.txt" })
        {
            var text = File.ReadAllText(site.Path(file));
            Assert.Contains("https://data.example.org/opendata/", text, StringComparison.Ordinal);
            Assert.DoesNotContain("https://data.example.org/opendata/%", text, StringComparison.Ordinal);
            Assert.DoesNotContain("https://data.example.org/opendata%", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Publishing:Output")]
    [InlineData("Pipeline:Directory")]
    [InlineData("Pipeline:WorkDirectory")]
    [InlineData("Pipeline:QuarantineDirectory")]
    public async Task An_empty_folder_setting_exits_1_naming_it(string key)
    {
        // Publishing__Output= left empty in a job's environment was an internal error, exit 70.
        using var site = new DemoSite();
        Assert.Equal(1, await site.RunAsync("publish", $"--{key}="));
        Assert.Contains($"error: {key} is empty", site.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuration_keys_of_other_sections_are_left_to_whoever_reads_them()
    {
        // Logging is the host's; pipeline.yaml names its own settings (Sources:Crm:Token).
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("validate", "--Logging:LogLevel:Default=Warning", "--Sources:Crm:Token=abc", "--PIPELINE:BATCHSIZE=100"));
    }

    [Fact]
    public async Task Quarantine_inside_the_published_folder_is_refused()
    {
        using var site = new DemoSite();
        Assert.Equal(1, await site.RunAsync("publish", $"--Pipeline:QuarantineDirectory={site.Path("private")}"));
        Assert.Contains("must be outside the published folder", site.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quarantine_reached_through_a_symbolic_link_into_the_published_folder_is_refused()
    {
        // /srv/quarantine -> /srv/site/private: the paths differ, the folder is the same, and
        // rejets.csv (every rejected row's values) would be served with the site.
        using var site = new DemoSite();
        Directory.CreateDirectory(site.Path("private"));
        var link = site.Temp("quarantine-link");
        Directory.CreateSymbolicLink(link, site.Path("private"));
        Assert.Equal(1, await site.RunAsync("publish", $"--Pipeline:QuarantineDirectory={Path.Combine(link, "q")}"));
        Assert.Contains("must be outside the published folder", site.Error, StringComparison.Ordinal);
        Assert.Empty(site.Snapshot());
    }

    [Fact]
    public async Task A_source_file_reached_through_a_symbolic_link_into_the_published_folder_is_refused()
    {
        using var site = new DemoSite();
        Directory.CreateDirectory(site.Path("import"));
        File.Copy(Repo.DemoSource, site.Path("import", "crm.csv"));
        var link = site.Temp("import-link");
        Directory.CreateSymbolicLink(link, site.Path("import"));
        Assert.Equal(1, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", Path.Combine(link, "crm.csv"), $"--Anonymisation:Key={new string('k', 40)}"));
        Assert.Contains("must be outside the published folder", site.Error, StringComparison.Ordinal);
        Assert.Equal(["import/crm.csv"], site.Snapshot().Keys.Select(k => k.Replace('\\', '/')));
    }

    [Fact]
    public async Task A_source_file_inside_the_published_folder_is_refused()
    {
        // The CRM export (contacts' names, e-mails, phones) would be served with the site, as
        // the quarantine would be: the run refuses to start rather than publish beside it.
        using var site = new DemoSite();
        var source = site.Path("import", "crm.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        File.Copy(Repo.DemoSource, source);
        Assert.Equal(1, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={new string('k', 40)}"));
        Assert.Contains("acteurs: the source file", site.Error, StringComparison.Ordinal);
        Assert.Contains("must be outside the published folder", site.Error, StringComparison.Ordinal);
        Assert.Equal(["import/crm.csv"], site.Snapshot().Keys.Select(k => k.Replace('\\', '/')));
    }

    [Fact]
    public async Task A_source_file_inside_the_quarantine_is_refused()
    {
        // A definition pointing at the quarantine's rejets.csv published the rejected rows (private
        // values, contacts included) under its own rules (the security review's note).
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs"));
        var rejects = Directory.GetFiles(site.Quarantine, "*.csv", SearchOption.AllDirectories).First();
        var before = site.Snapshot();
        Assert.Equal(1, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", rejects, $"--Anonymisation:Key={new string('k', 40)}"));
        Assert.Contains("is inside Pipeline:QuarantineDirectory", site.Error, StringComparison.Ordinal);
        Assert.Equal(before, site.Snapshot());
    }

    [Fact]
    public async Task Validate_reports_counts_and_writes_nothing()
    {
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("validate"));
        Assert.Contains("acteurs: VALID — 250 rows read, 237 publishable, 5 rejected", site.Output, StringComparison.Ordinal);

        // Rows rejected from a valid run are located too: the operator fixes them in the CRM.
        var acteurs = site.Output[site.Output.IndexOf("acteurs: VALID", StringComparison.Ordinal)..site.Output.IndexOf("chiffres-cles: VALID", StringComparison.Ordinal)];
        var rejectedLines = System.Text.RegularExpressions.Regex.Matches(acteurs, @"^\s+line\s+(\d+)\s", System.Text.RegularExpressions.RegexOptions.Multiline).Select(m => m.Groups[1].Value).Distinct().Count();
        Assert.Equal(5, rejectedLines);
        Assert.False(site.PublishedAnything);
        Assert.False(Directory.Exists(site.Quarantine));
    }

    [Fact]
    public async Task Validate_exits_1_with_a_table_of_rules_and_located_first_errors_when_the_data_would_not_publish()
    {
        using var site = new DemoSite();
        var source = site.Temp("bad.csv");
        File.WriteAllLines(source, File.ReadAllLines(Repo.DemoSource).Select((line, i) => i > 0 && i % 5 == 0 ? BreakSiret(line) : line));
        Assert.Equal(1, await site.RunAsync("validate", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={new string('k', 40)}"));
        Assert.Contains("acteurs: INVALID", site.Output, StringComparison.Ordinal);
        Assert.Matches(@"siret-error\s+siret\s+\d+", site.Output);
        Assert.Matches(@"line\s+6\s+siret-error\s+siret", site.Output);
        Assert.False(Directory.Exists(site.Quarantine));
    }

    [Fact]
    public async Task The_built_CLI_runs_from_the_repository_root_with_its_defaults()
    {
        // As a newcomer runs it: the real binary, from the repository root, default configuration.
        using var temp = new TempFolder();
        var (code, stdout, stderr) = await RunBuiltWorkerAsync(temp);
        Assert.True(code == 0, stderr);
        Assert.Contains("new: acteurs", stdout, StringComparison.Ordinal);
        Assert.Contains("PUBLIC built-in demo key", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.Combine("site", "index.html")));
    }

    [Fact]
    public async Task A_run_past_the_heap_limit_fails_cleanly_and_publishes_nothing()
    {
        // The built Worker's GC heap is capped (runtimeconfig: System.GC.HeapHardLimit, 200 MiB).
        // 5-million-row batches need 1.2 GB of cell references alone: the run must stop with
        // a one-line error that says what to change, exit 1, and publish nothing.
        var config = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Automotech.OpenData.Worker.runtimeconfig.json"));
        Assert.Contains("\"System.GC.HeapHardLimit\": 209715200", config, StringComparison.Ordinal);
        using var temp = new TempFolder();
        var (code, _, stderr) = await RunBuiltWorkerAsync(temp, "--Pipeline:BatchSize=5000000");
        Assert.Equal(1, code);
        Assert.Contains("error: out of memory: the run needed more than the Worker's GC heap limit; nothing more was published. Lower Pipeline:BatchSize", stderr, StringComparison.Ordinal);
        var site = temp.Combine("site");
        Assert.False(Directory.Exists(site) && Directory.EnumerateFileSystemEntries(site, "*", SearchOption.AllDirectories).Any(e => Path.GetRelativePath(site, e) != PublishLock.FileName));
    }

    [Fact]
    public async Task On_a_French_server_the_operators_messages_still_format_their_ratios_in_English()
    {
        // A server set up in French: .NET takes its current culture, fr-FR, from LC_ALL / LANG.
        var french = new Dictionary<string, string> { ["LANG"] = "fr_FR.UTF-8", ["LC_ALL"] = "fr_FR.UTF-8", ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "0" };
        using var temp = new TempFolder();
        var lines = File.ReadAllLines(Repo.DemoSource);
        var source = temp.Combine("bad.csv");
        File.WriteAllLines(source, lines.Select((line, i) => i > 0 && i % 5 == 0 ? BreakSiret(line) : line));

        var (code, _, stderr) = await RunBuiltWorkerAsync(temp, ["publish", "--output", temp.Combine("site")], ["--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={new string('k', 40)}"], french);
        Assert.Equal(1, code);
        // Not "(21,6 %), above the threshold of 5,0 %": French decimals inside an English sentence.
        Assert.Matches(@"acteurs: [0-9]+ of 250 rows rejected \([0-9]+\.[0-9] %\), above the threshold of 5\.0 %; nothing is published\.", stderr);

        var (_, stdout, validateError) = await RunBuiltWorkerAsync(temp, ["validate", "--pipeline", "acteurs", "--source", source], [], french);
        Assert.Contains("(threshold 5.0 %).", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(",0 %", stdout + validateError, StringComparison.Ordinal);
    }

    private static Task<(int Code, string Stdout, string Stderr)> RunBuiltWorkerAsync(TempFolder temp, params string[] extra) =>
        RunBuiltWorkerAsync(temp, ["publish", "--output", temp.Combine("site")], extra);

    /// <summary>Runs the built Worker (its console logs included) with a temporary work and quarantine folder.</summary>
    internal static async Task<(int Code, string Stdout, string Stderr)> RunBuiltWorkerAsync(TempFolder temp, string[] verb, string[] extra, IReadOnlyDictionary<string, string>? environment = null)
    {
        var worker = Path.Combine(AppContext.BaseDirectory, "Automotech.OpenData.Worker.dll");
        var start = new ProcessStartInfo("dotnet")
 { WorkingDirectory = Repo.Root };
        start.Environment.Remove("Anonymisation__Key"); // as on a newcomer's machine
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        string[] arguments = ["exec", worker, .. verb, $"--Pipeline:WorkDirectory={temp.Combine("work")}", $"--Pipeline:QuarantineDirectory={temp.Combine("q")}", .. extra];
        return await ChildProcess.RunAsync(start, arguments);
    }

    private static string BreakSiret(string line)
    {
        // The SIRET is the third column and never quoted: change its last digit.
        var cells = line.Split(',');
        var s = cells[2];
        cells[2] = s[..^1] + (char)('0' + ((s[^1] - '0' + 1) % 10));
        return string.Join(',', cells);
    }
}

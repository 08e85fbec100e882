namespace Automotech.OpenData.Tests.Worker;

/// <summary>The <c>run</c> verb: publishes on its schedule, stops gracefully with exit code 0.</summary>
[Collection(nameof(ProcessExitCode))]
public sealed class RunVerbTests
{
    [Fact]
    public async Task Run_publishes_at_each_occurrence_and_stops_gracefully_with_exit_code_0()
    {
        using var site = new EndToEnd.DemoSite();
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => site.RunAsync(stop.Token, "run", "--Schedule:Cron=0 * * * *"));

        // Nothing before the first occurrence (once the schedule has said when it is); then each
        // hour of the fake clock is one publish.
        await site.WaitForLogAsync("Next publish at ");
        Assert.False(File.Exists(site.Path("index.html")));
        await Eventually.WaitAsync(() => File.Exists(site.Path("releases.json")), "the scheduled publish's releases.json", () => site.Log,
            meanwhile: () => site.Clock.Advance(TimeSpan.FromMinutes(31)), poll: TimeSpan.FromMilliseconds(100));

        Assert.True(File.Exists(site.Path("releases.json")), "the scheduled publish did not happen");
        await stop.CancelAsync(); // what SIGTERM does through the host
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_run_whose_source_cannot_be_read_or_has_too_many_bad_rows_publishes_nothing_and_the_next_occurrence_tries_again(bool badRows)
    {
        // The first run fails as an unreachable source does (a PipelineException after its
        // retries), or with its first page's SIRETs broken (too many rejected rows: a
        // DatasetRejectedException); the source answers well from the second run on.
        var (header, rows) = Sources.SourceTestKit.DemoRows();
        var runs = 0;
        await using var server = new Sources.TestHttpServer(r =>
        {
            var first = r.Query("p") == "1" && Interlocked.Increment(ref runs) == 1;
            if (first && !badRows)
            {
                return new Sources.TestHttpServer.Reply(503);
            }

            var page = int.Parse(r.Query("p")!, System.Globalization.CultureInfo.InvariantCulture);
            var records = rows.Skip((page - 1) * 100).Take(100)
                .Select(values => header.Select((h, i) => (h, v: values[i])).ToDictionary(c => c.h, c => c.v.Length == 0 ? null : first && c.h == "siret" ? "12345" : c.v));
            return Sources.TestHttpServer.Json(System.Text.Json.JsonSerializer.Serialize(new { records }));
        });
        using var temp = new TempFolder();
        var pipelines = Sources.SourceTestKit.ActeursWithSource(temp, $$"""
              kind: http-json
              url: {{server.Url}}acteurs
              items: records
              paging: { style: page, page_param: p, size_param: n, size: 100 }
              http: { timeout_seconds: 5, max_retries: 0 }
            """);
        using var site = new EndToEnd.DemoSite();
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => site.RunAsync(stop.Token, "run", "--Schedule:Cron=0 * * * *", "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", $"--Anonymisation:Key={new string('k', 40)}"));
        await Eventually.WaitAsync(() => Volatile.Read(ref runs) >= 1, "the first occurrence's request of page 1", () => site.Log,
            meanwhile: () => site.Clock.Advance(TimeSpan.FromMinutes(31)), poll: TimeSpan.FromMilliseconds(100));

        Assert.Equal(1, Volatile.Read(ref runs));
        await site.WaitForLogAsync("Scheduled publish failed");
        await site.WaitForLogAsync("Next publish at ", times: 2); // the schedule goes on after the failure
        Assert.False(run.IsCompleted, "the schedule stopped after a failed run");
        Assert.False(File.Exists(site.Path("releases.json")));
        await Eventually.WaitAsync(() => File.Exists(site.Path("releases.json")), "the next occurrence's releases.json", () => site.Log,
            meanwhile: () => site.Clock.Advance(TimeSpan.FromMinutes(31)), poll: TimeSpan.FromMilliseconds(100));

        Assert.True(File.Exists(site.Path("releases.json")), "the next occurrence did not publish");
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Each_occurrence_compares_with_the_container_as_it_is_not_as_the_first_occurrence_listed_it()
    {
        // The CI published release A before this host started; the host's first occurrence
        // publishes B, its second A again. The second must upload latest/acteurs.csv (now B's):
        // compared with the listing its first occurrence made (A's, then), it looked up to date.
        var service = new Azure.Storage.Blobs.BlobServiceClient(Azurite.ConnectionString, new Azure.Storage.Blobs.BlobClientOptions(Azure.Storage.Blobs.BlobClientOptions.ServiceVersion.V2026_06_06));
        var container = service.GetBlobContainerClient("t" + Guid.NewGuid().ToString("N"));
        await container.CreateAsync();
        string[] azure = ["--Publishing:Target=AzureBlob", $"--Publishing:Azure:ConnectionString={Azurite.ConnectionString}", $"--Publishing:Azure:Container={container.Name}", "--Publishing:Azure:ServiceVersion=2026-06-06", $"--Anonymisation:Key={new string('k', 40)}"];
        using var temp = new TempFolder();
        var sourceA = File.ReadAllText(Repo.DemoSource);
        var sourceB = string.Join("\r\n", sourceA.Split("\r\n")[..^2]) + "\r\n";
        var source = temp.File("source.csv", sourceA);
        void Replace(string content)
        {
            File.WriteAllText(source + ".new", content);
            File.Move(source + ".new", source, overwrite: true); // an occurrence reads one or the other, whole
        }

        var pipelines = Sources.SourceTestKit.ActeursWithSource(temp, $"  kind: csv\n  path: {source}\n");
        using var site = new EndToEnd.DemoSite();
        Assert.Equal(0, await site.RunAsync(["publish", "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", .. azure]));
        async Task<OpenData.Releases.ReleaseManifest> ManifestAsync() => OpenData.Releases.ReleaseManifest.Parse(
            (await container.GetBlobClient("releases.json").DownloadContentAsync()).Value.Content.ToStream(), container.Name);

        Replace(sourceB);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => site.RunAsync(stop.Token, ["run", "--Schedule:Cron=0 * * * *", "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", .. azure]));
        foreach (var versions in new[] { 2, 3 })
        {
            await Eventually.WaitAsync(
                async () => (await ManifestAsync()).Find("acteurs")!.Versions.Count >= versions || run.IsCompleted,
                $"releases.json listing {versions} versions of acteurs",
                async () => $"{(await ManifestAsync()).Find("acteurs")!.Versions.Count} versions; {site.Error}\n{site.Log}",
                meanwhile: () => site.Clock.Advance(TimeSpan.FromMinutes(31)), poll: TimeSpan.FromMilliseconds(100));

            Assert.Equal(versions, (await ManifestAsync()).Find("acteurs")!.Versions.Count);
            Replace(sourceA);
        }

        await site.WaitForLogAsync("Scheduled publish done: ", times: 2); // the occurrence writes index.html after releases.json
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromMinutes(1)));
        var latest = (await ManifestAsync()).Find("acteurs")!.Latest!;
        foreach (var file in latest.Files)
        {
            var published = (await container.GetBlobClient($"datasets/acteurs/latest/{file.Name}").DownloadContentAsync()).Value.Content.ToArray();
            Assert.True(file.Sha256 == OpenData.Releases.FileHash.Sha256(published), $"latest/{file.Name} is not the latest version's ({latest.Version})");
        }
    }

    [Fact]
    public async Task A_yearly_schedule_waits_for_its_occurrence_instead_of_crashing()
    {
        // June 1st is more than 49.7 days away, the longest single Task.Delay: the schedule
        // (a yearly reference edition, as the README suggests) stopped at once with exit code 70.
        // The schedule's only timers are its waits on the run's clock: each one it arms says it
        // waits (no fixed pause, which a slow machine can outlast before the schedule gets there).
        var clock = new TimerCountingClock(EndToEnd.DemoSite.RunTime);
        using var site = new EndToEnd.DemoSite(clock);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => site.RunAsync(stop.Token, "run", "--Schedule:Cron=0 6 1 6 *"));
        await site.WaitForLogAsync("Next publish at ");
        await Eventually.WaitAsync(() => clock.Timers >= 1 || run.IsCompleted, "the schedule's first wait on its clock", () => $"{site.Error}\n{site.Log}");
        Assert.False(run.IsCompleted, $"the schedule stopped before its first occurrence: {site.Error}");
        Assert.False(File.Exists(site.Path("releases.json")));

        // Woken 150 days on, still before June 1st: it waits again (a new timer) and has published
        // nothing (a publish comes before the next wait).
        var armed = clock.Timers;
        site.Clock.Advance(TimeSpan.FromDays(150));
        await Eventually.WaitAsync(() => clock.Timers > armed || run.IsCompleted, "the schedule's next wait, 150 days on", () => $"{site.Error}\n{site.Log}");
        Assert.False(run.IsCompleted, $"the schedule stopped before its first occurrence: {site.Error}");
        Assert.False(File.Exists(site.Path("releases.json")), "published before June 1st");
        await Eventually.WaitAsync(() => File.Exists(site.Path("releases.json")), "the yearly publish's releases.json", () => site.Log,
            meanwhile: () => site.Clock.Advance(TimeSpan.FromDays(1)), poll: TimeSpan.FromMilliseconds(100));

        Assert.True(File.Exists(site.Path("releases.json")), "the yearly publish did not happen");
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    /// <summary>A fake clock that counts the timers made on it (Task.Delay on a TimeProvider makes one).</summary>
    private sealed class TimerCountingClock(DateTimeOffset start) : Microsoft.Extensions.Time.Testing.FakeTimeProvider(start)
    {
        private int timers;

        public int Timers => Volatile.Read(ref timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref timers);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    [Fact]
    public async Task A_cron_expression_that_never_occurs_exits_1_instead_of_idling_forever()
    {
        using var site = new EndToEnd.DemoSite();
        var run = Task.Run(() => site.RunAsync("run", "--Schedule:Cron=0 6 30 2 *"));
        Assert.Equal(1, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Schedule:Cron '0 6 30 2 *' never occurs", site.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_cron_expression_exits_1_with_the_reason()
    {
        using var site = new EndToEnd.DemoSite();
        Assert.Equal(1, await site.RunAsync("run", "--Schedule:Cron=every monday"));
        Assert.Contains("Schedule:Cron 'every monday' is not a cron expression", site.Error, StringComparison.Ordinal);
    }
}

namespace Automotech.OpenData.Tests.Worker;

/// <summary>The <c>run</c> verb: publishes on its schedule, stops gracefully with exit code 0.</summary>
public sealed class RunVerbTests
{
    [Fact]
    public async Task Run_publishes_at_each_occurrence_and_stops_gracefully_with_exit_code_0()
    {
        using var site = new EndToEnd.DemoSite();
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => site.RunAsync(stop.Token, "run", "--Schedule:Cron=0 * * * *"));

        // Nothing before the first occurrence; then each hour of the fake clock is one publish.
        await Task.Delay(500);
        Assert.False(File.Exists(site.Path("index.html")));
        for (var i = 0; i < 200 && !File.Exists(site.Path("releases.json")); i++)
        {
            site.Clock.Advance(TimeSpan.FromMinutes(31));
            await Task.Delay(100);
        }

        Assert.True(File.Exists(site.Path("releases.json")), "the scheduled publish did not happen");
        await stop.CancelAsync(); // what SIGTERM does through the host
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task A_bad_cron_expression_exits_1_with_the_reason()
    {
        using var site = new EndToEnd.DemoSite();
        Assert.Equal(1, await site.RunAsync("run", "--Schedule:Cron=every monday"));
        Assert.Contains("Schedule:Cron 'every monday' is not a cron expression", site.Error, StringComparison.Ordinal);
    }
}

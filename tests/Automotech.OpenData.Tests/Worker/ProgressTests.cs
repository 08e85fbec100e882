using System.Globalization;
using Automotech.OpenData.Worker;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console;

namespace Automotech.OpenData.Tests.Worker;

/// <summary>Progress bars on a terminal; nothing but plain text elsewhere.</summary>
public sealed class ProgressTests
{
    [Fact]
    public async Task On_a_terminal_publish_shows_progress_bars_for_reading_and_publishing()
    {
        using var temp = new TempFolder();
        using var screen = new StringWriter();
        var terminal = Terminal(screen);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await WorkerApp.RunAsync(
            ["publish", $"--Pipeline:Directory={Repo.Pipelines}", $"--Site:Templates={Repo.Templates}", $"--Publishing:Output={temp.Combine("site")}",
             $"--Pipeline:WorkDirectory={temp.Combine("work")}", $"--Pipeline:QuarantineDirectory={temp.Combine("q")}"],
            output, error, new FakeTimeProvider(EndToEnd.DemoSite.RunTime), terminal);
        Assert.Equal(0, code);
        var shown = screen.ToString();
        Assert.Contains("acteurs : 250 lignes lues", shown, StringComparison.Ordinal);
        Assert.Contains("Publication (", shown, StringComparison.Ordinal);
        Assert.Contains("100%", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_progress_bars_French_text_has_French_numbers_whatever_the_current_culture()
    {
        using var screen = new StringWriter();
        var terminal = Terminal(screen);
        terminal.Profile.Width = 200;
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-US");
        try
        {
            await ConsoleProgress.ShowAsync(terminal, progress =>
            {
                progress.DatasetStarted("acteurs", 12_345 * 1024);
                progress.DatasetStarted("sirene", 1024);
                progress.RowsRead("sirene", 1_234_567, 0.5);
                return Task.FromResult(0);
            });
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        var french = CultureInfo.GetCultureInfo("fr-FR");
        var shown = screen.ToString();
        // Not "12,345 Kio" and "1,234,567 lignes lues": English separators in French text.
        Assert.Contains($"acteurs : lecture et validation ({12_345.ToString("N0", french)} Kio)", shown, StringComparison.Ordinal);
        Assert.Contains($"sirene : {1_234_567.ToString("N0", french)} lignes lues", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_is_drawn_once_the_display_has_ended()
    {
        // Work that ends at once, as a failing definition or an empty run does: Spectre's refresh
        // thread, not started yet when its display ended, was never stopped and went on drawing,
        // into a writer its owner had closed (the test host crashed on it in CI). A guard: the race
        // did not show here in 600 runs of the old code, idle or beside four spinning processes.
        var screens = new List<StringWriter>();
        var lengths = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            var screen = new StringWriter();
            await ConsoleProgress.ShowAsync(Terminal(screen), progress =>
            {
                progress.DatasetStarted("acteurs", 1024);
                return Task.FromResult(0);
            });
            screens.Add(screen);
            lengths.Add(screen.GetStringBuilder().Length);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(600)); // several of Spectre's refresh periods (100 ms)
        Assert.Equal(lengths, screens.Select(s => s.GetStringBuilder().Length));
    }

    [Fact]
    public async Task Without_a_terminal_the_output_has_no_escape_codes()
    {
        using var site = new EndToEnd.DemoSite();
        Assert.Equal(0, await site.RunAsync("publish"));
        Assert.DoesNotContain("\u001b[", site.Output + site.Error, StringComparison.Ordinal);
    }

    /// <summary>An interactive ANSI terminal whose screen is <paramref name="screen"/>.</summary>
    private static IAnsiConsole Terminal(StringWriter screen) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.Yes,
        Interactive = InteractionSupport.Yes,
        ColorSystem = ColorSystemSupport.Standard,
        Out = new AnsiConsoleOutput(screen),
    });
}

using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace Automotech.OpenData.BrowserTests;

/// <summary>
/// The site's quality gates, for the tests that check a page of their own making: the Nu HTML
/// checker and axe-core, which scripts/test.sh installs (<c>VNU_JAR</c>, <c>AXE_JS</c>). A gate
/// that is not installed fails the test, it never skips it.
/// </summary>
internal static class Gates
{
    public static string Tool(string variable)
    {
        var path = Environment.GetEnvironmentVariable(variable);
        Assert.True(path is not null && File.Exists(path), $"{variable} is not set to an existing file: run the tests with scripts/test.sh, which installs the site's quality gates.");
        return path!;
    }

    /// <summary>axe-core's violations on the page as it stands (opened with <c>bypassCsp</c>: axe is injected inline).</summary>
    public static async Task<List<string>> AxeViolationsAsync(IPage page)
    {
        await page.AddScriptTagAsync(new() { Content = await File.ReadAllTextAsync(Tool("AXE_JS")) });
        var violations = await page.EvaluateAsync<JsonElement>("async () => (await axe.run(document)).violations.map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ')')");
        return [.. violations.EnumerateArray().Select(v => v.GetString()!)];
    }

    /// <summary>The Nu HTML checker's errors on the given files (or folders), each with its file, and what it wrote on standard output.</summary>
    public static async Task<(List<string> Errors, string Stdout)> NuErrorsAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("java") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-jar", Tool("VNU_JAR"), "--format", "json" }.Concat(arguments))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var report = await process.StandardError.ReadToEndAsync(); // vnu writes its JSON report on stderr
        await process.WaitForExitAsync();
        using var json = JsonDocument.Parse(report);
        var errors = json.RootElement.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("type").GetString() is "error" or "non-document-error")
            .Select(m => $"{m.GetProperty("url").GetString()}: {m.GetProperty("message").GetString()}")
            .ToList();
        return (errors, await stdout);
    }
}

using Automotech.OpenData.Publishing;
using Automotech.OpenData.Tests.EndToEnd;

namespace Automotech.OpenData.Tests.Publishing;

/// <summary>
/// A configured folder (the output, the work folder, the quarantine) that names a file, or a
/// folder under a file (a typo, a path with its last part swapped), stopped publish with .NET's
/// "The file … already exists", and made verify report a tree with no catalogue: neither said which
/// setting named the wrong thing. They now name the file and the setting, and touch nothing.
/// </summary>
public sealed class OutputNotAFolderTests
{
    [Fact]
    public async Task Publish_and_verify_on_a_file_say_so_and_leave_it_as_it_was()
    {
        using var site = new DemoSite();
        await File.WriteAllTextAsync(site.Site, "notes of the operator");

        Assert.Equal(1, await site.RunAsync("publish"));
        Assert.Equal($"error: {site.Site} is a file, not a folder: the output (--output, Publishing:Output) names a folder. Nothing was published.", site.Error.Trim());

        Assert.Equal(1, await site.RunAsync("verify"));
        Assert.Equal($"error: {site.Site} is a file, not a folder: the output (--output, Publishing:Output) names a folder. Nothing was checked.", site.Error.Trim());
        Assert.Equal("notes of the operator", await File.ReadAllTextAsync(site.Site));
    }

    [Fact]
    public async Task A_folder_under_a_file_names_the_file()
    {
        using var temp = new TempFolder();
        var file = temp.Combine("out");
        await File.WriteAllTextAsync(file, "");
        var target = new LocalFolderTarget(Path.Combine(file, "site"));

        var refused = await Assert.ThrowsAsync<PipelineException>(() => target.LockAsync(CancellationToken.None));
        Assert.StartsWith($"{file} is a file, so there can be no folder {Path.Combine(file, "site")}: ", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was published.", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PipelineException>(() => target.LockStateAsync(CancellationToken.None));
        Assert.Equal("", await File.ReadAllTextAsync(file));
    }

    [Theory]
    [InlineData("Pipeline:WorkDirectory", "the work folder (Pipeline:WorkDirectory)", "Nothing was read or published.")]
    [InlineData("Pipeline:QuarantineDirectory", "the quarantine (Pipeline:QuarantineDirectory)", "Nothing was published.")]
    public async Task A_work_folder_or_quarantine_on_a_file_is_named_with_its_setting_and_nothing_is_published(string setting, string named, string consequence)
    {
        using var site = new DemoSite();
        var file = site.Temp("taken");
        await File.WriteAllTextAsync(file, "");

        Assert.Equal(1, await site.RunAsync("publish", $"--{setting}={file}"));

        Assert.Equal($"error: {file} is a file, not a folder: {named} names a folder. {consequence}", site.Error.Trim());
        Assert.False(site.PublishedAnything);
        Assert.Equal("", await File.ReadAllTextAsync(file));
    }
}

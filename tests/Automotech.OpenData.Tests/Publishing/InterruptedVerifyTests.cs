using Automotech.OpenData.Publishing;
using Microsoft.Extensions.Time.Testing;

namespace Automotech.OpenData.Tests.Publishing;

/// <summary>
/// A republish broken off after each of its uploads in turn, what <c>verify</c> then says, and what
/// the rerun leaves: the weekly job's worst day, at every point it can happen. verify must see each
/// part-way state (never "sound" without a finding once something was uploaded and before the
/// manifest lists it); a released version is never what it finds damaged (versions are immutable:
/// only <c>latest/</c> and the site's indexes are rewritten); and after the rerun the tree is sound
/// with no finding at all, whatever the point.
/// </summary>
public sealed class InterruptedVerifyTests
{
    [Fact]
    public async Task After_a_publish_broken_off_at_any_upload_verify_sees_it_and_the_rerun_leaves_a_sound_tree()
    {
        var points = 0;
        var uncommitted = 0;
        for (var k = 0; ; k++)
        {
            Assert.True(k < 200, "the publish never completed");
            using var temp = new TempFolder();
            var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
            var source = temp.File("source.csv", File.ReadAllText(Repo.DemoSource));
            var next = ActeursRun.WithoutLastRows(temp, source, "next.csv", 1);
            var options = ActeursRun.Options(temp, source);
            var folder = options.OutputDirectory;
            await ActeursRun.PublishAsync(options, new LocalFolderTarget(folder), clock);
            var released = Directory.EnumerateFiles(Path.Combine(folder, "datasets"), "*", SearchOption.AllDirectories)
                .Where(f => f.Contains($"{Path.DirectorySeparatorChar}2026-11-25{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .ToDictionary(f => f, File.ReadAllBytes);
            Assert.Contains(released.Keys, f => f.EndsWith($"{Path.DirectorySeparatorChar}acteurs.csv", StringComparison.Ordinal));
            clock.Advance(TimeSpan.FromHours(1));
            try
            {
                await ActeursRun.PublishAsync(options with { SourceOverride = next }, new FailingTarget(new LocalFolderTarget(folder), k), clock);
                break; // k is past its last upload
            }
            catch (IOException e) when (e.Message == $"connection lost after {k} uploads")
            {
                points++;
            }

            // From the first upload until releases.json lists the new versions, the tree is part-way:
            // verify must say so (before the first, nothing changed).
            var broken = await VerifyAsync(folder);
            var committed = File.ReadAllText(Path.Combine(folder, "releases.json")).Contains("\"2026-11-25.2\"", StringComparison.Ordinal);
            Assert.True(k == 0 || committed || broken.Findings.Count > 0, $"after {k} uploads: sound with no finding, though the release is part-way");
            uncommitted += k == 0 || committed ? 0 : 1;

            // The first release's versioned files are never touched, and never reported.
            Assert.All(released, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
            Assert.DoesNotContain(broken.Findings, f => f.Severity == FindingSeverity.Error && f.Path.Contains("/2026-11-25/", StringComparison.Ordinal));

            clock.Advance(TimeSpan.FromMinutes(20));
            await ActeursRun.PublishAsync(options with { SourceOverride = next }, new LocalFolderTarget(folder), clock);
            var mended = await VerifyAsync(folder);
            Assert.True(mended.Sound && mended.Findings.Count == 0, $"after {k} uploads and a rerun: {string.Join(" | ", mended.Findings)}");
            Assert.Equal(4, mended.Versions); // acteurs and chiffres-cles (the run's pipeline and the one built on it), two versions each
        }

        Assert.True(uncommitted >= 20 && points > uncommitted, $"{points} points of interruption, {uncommitted} before the manifest: not the release expected");
    }

    /// <summary>
    /// The same in a container, where the weekly job publishes, at three points: in the new version
    /// folders, in latest/, and after the catalogue but before releases.json (found by the sweep
    /// above; the order of uploads is the same for both targets).
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(26)]
    public async Task In_a_container_too_verify_sees_a_broken_off_publish_and_the_rerun_leaves_it_sound(int k)
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        var source = temp.File("source.csv", File.ReadAllText(Repo.DemoSource));
        var next = ActeursRun.WithoutLastRows(temp, source, "next.csv", 1);
        var options = ActeursRun.Options(temp, source);
        var (target, _) = await InterruptedPublishTests.BlobTargetAsync();
        await ActeursRun.PublishAsync(options, target(), clock);
        clock.Advance(TimeSpan.FromHours(1));
        await Assert.ThrowsAsync<IOException>(() => ActeursRun.PublishAsync(options with { SourceOverride = next }, new FailingTarget(target(), k), clock));

        var broken = await new TreeVerifier(target()).VerifyAsync(CancellationToken.None);
        Assert.NotEmpty(broken.Findings);
        Assert.DoesNotContain(broken.Findings, f => f.Severity == FindingSeverity.Error && f.Path.Contains("/2026-11-25/", StringComparison.Ordinal));
        if (k >= 16)
        {
            Assert.Contains(broken.Findings, f => f.Severity == FindingSeverity.Error && f.Path.Contains("/latest/", StringComparison.Ordinal));
        }

        if (k >= 26)
        {
            Assert.Contains(broken.Findings, f => f.Path == "catalog.jsonld");
        }

        clock.Advance(TimeSpan.FromMinutes(20));
        await ActeursRun.PublishAsync(options with { SourceOverride = next }, target(), clock);
        var mended = await new TreeVerifier(target()).VerifyAsync(CancellationToken.None);
        Assert.True(mended.Sound && mended.Findings.Count == 0, $"after {k} uploads and a rerun: {string.Join(" | ", mended.Findings)}");
        Assert.Equal(4, mended.Versions);
    }

    private static Task<VerifyReport> VerifyAsync(string folder) => new TreeVerifier(new LocalFolderTarget(folder)).VerifyAsync(CancellationToken.None);
}

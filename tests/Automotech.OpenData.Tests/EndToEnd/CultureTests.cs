using System.Globalization;

namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>
/// The machine's culture changes no byte of what is published or quarantined: the data files,
/// datapackage.json, the pages (whose French numbers and dates are French by choice, not by the
/// server's settings) and the private reports.
/// </summary>
public sealed class CultureTests
{
    [Theory]
    [InlineData("fr-FR")]
    [InlineData("tr-TR")]
    [InlineData("sv-SE")]
    [InlineData("da-DK")]
    public async Task A_publish_under_another_current_culture_writes_the_same_bytes_as_under_the_invariant_culture(string culture)
    {
        using var invariant = new DemoSite();
        using var other = new DemoSite();

        Assert.Equal(0, await PublishUnderAsync(CultureInfo.InvariantCulture, invariant));
        Assert.Equal(0, await PublishUnderAsync(CultureInfo.GetCultureInfo(culture), other));

        Assert.Equal(invariant.Snapshot(), other.Snapshot());
        Assert.Equal(Quarantined(invariant), Quarantined(other));
    }

    private static async Task<int> PublishUnderAsync(CultureInfo culture, DemoSite site)
    {
        var (previous, previousUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, culture);
        try
        {
            return await site.RunAsync("publish");
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (previous, previousUi);
        }
    }

    private static Dictionary<string, string> Quarantined(DemoSite site) =>
        Directory.EnumerateFiles(site.Quarantine, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(site.Quarantine, f), OpenData.Releases.FileHash.Sha256);
}

using Automotech.OpenData.Validation;
using FsCheck;
using FsCheck.Fluent;

namespace Automotech.OpenData.Tests.Validation;

public class BusinessChecksTests
{
    // 73282932000074 is a SIRET that INSEE publishes as an example; the second differs by one digit.
    [Theory]
    [InlineData("73282932000074", true)]
    [InlineData("73282932000075", false)]
    [InlineData("7328293200007", false)]   // 13 digits
    [InlineData("7328293200007A", false)]  // not digits
    // La Poste: SIREN 356000000, digit sum a multiple of 5 (Luhn fails for many of them).
    [InlineData("35600000009075", true)]
    [InlineData("35600000009076", false)]
    public void Siret_is_checked_with_Luhn_and_the_La_Poste_exception(string siret, bool valid) =>
        Assert.Equal(valid, BusinessChecks.IsValidSiret(siret));

    [Fact]
    public void La_Poste_example_fails_plain_Luhn_so_the_exception_matters() =>
        Assert.NotEqual(0, BusinessChecks.LuhnSum("35600000009075") % 10);

    private static readonly DateOnly Today = new(2026, 11, 25);

    private static CheckResult Run(string check, string value) => BusinessChecks.Get(check, Today).Check(value);

    [Fact]
    public void Siret_check_explains_a_bad_checksum_without_the_value()
    {
        var (type, _) = BusinessChecks.Get("siret", Today);
        var message = Run("siret", "73282932000075").Message;
        Assert.Equal("siret-error", type);
        Assert.NotNull(message);
        Assert.DoesNotContain("73282932000075", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("732 829 320 00074", "73282932000074")]
    [InlineData("732.829.320.00074", "73282932000074")]
    [InlineData("732\u00a0829\u00a0320\u00a000074", "73282932000074")]
    public void Siret_is_read_after_stripping_spaces_and_dots(string raw, string canonical) =>
        Assert.Equal(canonical, Run("siret", System.Text.RegularExpressions.Regex.Unescape(raw)).Value);

    [Theory]
    [InlineData("2910Z", "29.10Z")]
    [InlineData("29.10z", "29.10Z")]
    [InlineData(" 29.10Z ", "29.10Z")]
    public void Naf_codes_are_normalised(string raw, string canonical) => Assert.Equal(canonical, Run("naf", raw).Value);

    [Theory]
    [InlineData("naf", "29.10Z", true)]
    [InlineData("naf", "29.99Z", false)]
    [InlineData("commune", "31555", true)]   // Toulouse
    [InlineData("commune", "9122", true)]    // Foix, its leading zero eaten by a spreadsheet
    [InlineData("commune", "31999", false)]
    [InlineData("commune", "75056", false)]  // Paris: real, but outside the declared region
    [InlineData("commune", "Toulouse", false)]
    [InlineData("email", "jean.dupont@garage.example", true)]
    [InlineData("email", "jean.dupont@garage", false)]
    [InlineData("email", "jean dupont@garage.example", false)]
    [InlineData("url", "https://www.garage.example/contact", true)]
    [InlineData("url", "www.garage.example", false)]
    [InlineData("url", "javascript:alert(1)", false)]
    [InlineData("phone_fr", "05 36 49 12 34", true)]
    [InlineData("phone_fr", "+33 5 36 49 12 34", true)]
    [InlineData("phone_fr", "0536491234", true)]
    [InlineData("phone_fr", "05 36 49 12", false)]
    [InlineData("phone_fr", "00 36 49 12 34", false)]
    [InlineData("not_future", "2026-11-25", true)]
    [InlineData("not_future", "2026-11-26", false)]
    public void Checks_accept_only_well_formed_official_values(string check, string value, bool valid) =>
        Assert.Equal(valid, Run(check, value).Message is null);

    [Fact]
    public void Commune_outside_the_region_says_so()
    {
        Assert.Contains("hors de la région", Run("commune", "75056").Message, StringComparison.Ordinal);
        Assert.Contains("mal formé", Run("commune", "Toulouse").Message, StringComparison.Ordinal);
    }

    /// <summary>The address shape checked without <see cref="Uri"/> must be one that <see cref="Uri"/> accepts.</summary>
    private static bool UriAccepts(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Contains('.', StringComparison.Ordinal);

    [Fact]
    public void Url_shortcut_accepts_only_what_uri_accepts()
    {
        // Strings near the shortcut's shape (its characters and the ones at its edges), so that
        // both answers occur: every string the shortcut accepts must be accepted by Uri too.
        var pathCharacters = Gen.Elements("/abzAZ09-._~".ToCharArray());
        var edgeCharacters = Gen.Elements("/az09-._~:@?#%[]é ".ToCharArray());
        var tail = Gen.OneOf(Gen.ArrayOf(pathCharacters), Gen.ArrayOf(edgeCharacters)).Select(c => new string(c));
        var labels = Gen.Elements("a", "ab", "0", "12", "x-y", "-a", "a-", "", "www", "garage", new string('a', 63), new string('b', 64), "xn--bcher-kva");
        var hosts = Gen.OneOf(
            labels,
            labels.Zip(labels).Select(l => l.Item1 + "." + l.Item2),
            labels.Zip(labels).Zip(labels).Select(l => l.Item1.Item1 + "." + l.Item1.Item2 + "." + l.Item2));
        var schemes = Gen.Elements("https://", "http://", "HTTP://", "ftp://", "https:/", "");
        var candidates = schemes.Zip(hosts).Zip(tail).Select(t => t.Item1.Item1 + t.Item1.Item2 + t.Item2).ToArbitrary();
        var accepted = 0;
        Prop.ForAll(candidates, (string url) =>
        {
            if (!BusinessChecks.IsPlainWebUrl(url))
            {
                return true;
            }

            accepted++;
            return UriAccepts(url);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(20_000));
        Assert.True(accepted > 100, $"the generator produced only {accepted} accepted addresses");
    }

    [Theory]
    [InlineData("https://www.garage.example/contact", true)]
    [InlineData("http://a.b", true)]
    [InlineData("https://garage.example/", true)]
    [InlineData("https://Garage.example", false)]       // upper case: left to Uri (which accepts it)
    [InlineData("https://garage", false)]               // one label
    [InlineData("https://garage..example", false)]
    [InlineData("https://-garage.example", false)]
    [InlineData("https://garage.example:8080/", false)] // a port: left to Uri
    [InlineData("https://garage.example/?q=1", false)]  // a query: left to Uri
    [InlineData("ftp://garage.example", false)]
    public void Url_shortcut_takes_the_plain_shape_only(string url, bool plain) =>
        Assert.Equal(plain, BusinessChecks.IsPlainWebUrl(url));

    [Theory]
    [InlineData("https://Garage.example/", true)]
    [InlineData("https://garage.example:8080/a?q=1#x", true)]
    [InlineData("https://garage", false)]
    public void Urls_outside_the_shortcut_are_still_judged_by_uri(string url, bool valid) =>
        Assert.Equal(valid, Run("url", url).Message is null);
}

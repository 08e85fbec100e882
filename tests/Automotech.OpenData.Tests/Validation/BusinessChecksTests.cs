using Automotech.OpenData.Validation;

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

    [Fact]
    public void Siret_check_explains_a_bad_checksum_without_the_value()
    {
        var (type, check) = BusinessChecks.Get("siret");
        var message = check("73282932000075");
        Assert.Equal("siret-error", type);
        Assert.NotNull(message);
        Assert.DoesNotContain("73282932000075", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("naf", "29.10Z", true)]
    [InlineData("naf", "29.99Z", false)]
    [InlineData("commune", "31555", true)]   // Toulouse
    [InlineData("commune", "31999", false)]
    [InlineData("commune", "75056", false)]  // Paris: real, but not in Occitanie
    public void Reference_checks_accept_only_official_codes(string check, string value, bool valid) =>
        Assert.Equal(valid, BusinessChecks.Get(check).Check(value) is null);
}

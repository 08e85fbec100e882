using Automotech.OpenData.Anonymisation;

namespace Automotech.OpenData.Tests.Anonymisation;

/// <summary>
/// Contact details in the spellings an adversarial privacy review typed into a CRM export's
/// free text and website cells (fictional people): each reached a published byte before.
/// </summary>
public class ScrubberEvasionTests
{
    private static string? Website(string value) =>
        FieldTransforms.Create("drop_if_personal", () => throw new InvalidOperationException())(value);

    [Theory]
    [InlineData("https://www.linkedin.fr/in/jean-dupont")]
    [InlineData("https://lnkd.in/jeandupont")]
    [InlineData("https://fb.me/jeandupont")]
    [InlineData("https://facebook.fr/jean.dupont")]
    [InlineData("https://instagr.am/jeandupont")]
    [InlineData("https://www.youtube.com/user/jeandupont")]
    [InlineData("https://www.youtube.com/c/jeandupont")]
    [InlineData("https://www.youtube.com/channel/UC1234567890")]
    [InlineData("https://wa.me/33612345678")]
    [InlineData("https://api.whatsapp.com/send?phone=33612345678")]
    [InlineData("https://t.me/jeandupont")]
    [InlineData("https://www.malt.fr/profile/jeandupont")]
    [InlineData("HTTPS://WWW.LINKEDIN.FR/IN/JEAN-DUPONT?trk=abc")]
    public void A_personal_profile_on_another_domain_or_short_link_is_not_published_as_a_website(string website)
    {
        Assert.Null(Website(website));
        Assert.Equal("Profil " + TextScrubber.ProfileMarker + " merci", TextScrubber.Scrub("Profil " + website + " merci"));
    }

    [Theory]
    [InlineData("https://www.linkedin.com/company/garage-castan")]
    [InlineData("https://www.format.me/contact")]
    [InlineData("https://www.youtube.com/watch?v=abc123")]
    [InlineData("https://www.maltese-cars.example/profile")]
    public void A_company_page_or_a_look_alike_stays(string website) => Assert.Equal(website, Website(website));
}

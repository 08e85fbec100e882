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

    [Theory]
    [InlineData("Contact jean.dupont (at) exemple.fr pour devis", "Contact [courriel masqué] pour devis")]
    [InlineData("Écrire à jean.dupont[at]exemple.fr.", "Écrire à [courriel masqué].")]
    [InlineData("Écrire à jean.dupont{at}exemple.fr", "Écrire à [courriel masqué]")]
    [InlineData("Écrire à jean.dupont(arobase)exemple.fr", "Écrire à [courriel masqué]")]
    [InlineData("Écrire à jean.dupont arobase exemple.fr", "Écrire à [courriel masqué]")]
    [InlineData("Écrire à jean[dot]dupont@exemple[dot]fr", "Écrire à [courriel masqué]")]
    [InlineData("Écrire à jean dot dupont at gmail dot com", "Écrire à [courriel masqué]")]
    [InlineData("Écrire à jean(point)dupont(at)gmail(point)com", "Écrire à [courriel masqué]")]
    [InlineData("Écrire à jean.dupont @ exemple.fr", "Écrire à [courriel masqué]")]
    [InlineData("Écrire à jean.dupont＠exemple.fr", "Écrire à [courriel masqué]")]
    [InlineData("Écrire à jérôme.dupont@exemple.fr", "Écrire à [courriel masqué]")]
    [InlineData("Écrire à jean@exämple.fr", "Écrire à [courriel masqué]")]
    [InlineData("Écrire à JEAN.DUPONT@EXEMPLE.FR", "Écrire à [courriel masqué]")]
    [InlineData("voir https://x.example/contact?email=jean.dupont%40gmail.com&utm=1", "voir https://x.example/contact?email=[courriel masqué]&utm=1")]
    [InlineData("Écrire à jean.dupont&#64;exemple.fr", "Écrire à [courriel masqué]")]
    [InlineData("Écrire à jean.dupont&#x40;exemple.fr", "Écrire à [courriel masqué]")]
    [InlineData("Écrire à jean.dupont&#X40;exemple&#46;fr", "Écrire à [courriel masqué]")]
    public void An_e_mail_address_in_a_disguised_spelling_is_masked(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    [Theory]
    [InlineData("https://exemple.fr/?contact=jean.dupont%40gmail.com")]
    [InlineData("https://exemple.fr/contact?m=jean.dupont(at)gmail.com")]
    public void A_website_holding_a_disguised_e_mail_is_not_published(string website) => Assert.Null(Website(website));

    [Theory]
    [InlineData("Atelier de mécanique, plateforme d'essais at Toulouse.")]
    [InlineData("Rendez-vous au point de vente ; pièces à 20 % et 40 % de remise.")]
    [InlineData("Tom & Jerry, Recherche & Développement ; AT&T.")]
    [InlineData("Salon « Auto at Home » à Albi ; catalogue @ venir.")]
    public void Words_that_look_like_a_spelled_address_stay(string text) => Assert.Equal(text, TextScrubber.Scrub(text));

    [Theory]
    [InlineData("tél. 06/12/34/56/78")]
    [InlineData("tél. +33.6.12.34.56.78")]
    [InlineData("tél. +33-6-12-34-56-78")]
    [InlineData("tél. 33 6 12 34 56 78")]
    [InlineData("tél. 061 234 5678")]
    [InlineData("tél. 0 6 12 34 56 78")]
    [InlineData("tél. (0)6 12 34 56 78")]
    [InlineData("tél. 06_12_34_56_78")]
    [InlineData("tél. \uFF10\uFF16\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17\uFF18")]
    public void A_phone_number_in_another_usual_spelling_is_masked(string text) =>
        Assert.Equal("tél. " + TextScrubber.PhoneMarker, TextScrubber.Scrub(text));

    [Theory]
    [InlineData("Portes ouvertes le 12/03/2025 et le 01/04/2025 de 9 h à 18 h.")]
    [InlineData("Département 33 : 5 000 salariés ; SIRET 732 829 320 00074.")]
    [InlineData("Lot 2033 12 pièces ; gamme 0.5 à 2.")]
    public void Dates_and_figures_near_the_new_phone_spellings_stay(string text) => Assert.Equal(text, TextScrubber.Scrub(text));

    [Theory]
    [InlineData("contact : Mr Dupont", "contact : Mr [nom masqué]")]
    [InlineData("contact : Mr. Jean Dupont", "contact : Mr. [nom masqué]")]
    [InlineData("contact : Mrs Dupont", "contact : Mrs [nom masqué]")]
    [InlineData("contact : mme Dupont", "contact : mme [nom masqué]")]
    [InlineData("contact : mlle Dupont", "contact : mlle [nom masqué]")]
    [InlineData("contact : Mme dupont", "contact : Mme [nom masqué]")]
    [InlineData("contact : MADAME dupont", "contact : MADAME [nom masqué]")]
    [InlineData("contact : monsieur dupont, gérant", "contact : monsieur [nom masqué], gérant")]
    [InlineData("contact : Mme de la tourvelle", "contact : Mme [nom masqué]")]
    public void A_name_after_an_english_or_lower_case_civility_or_in_lower_case_is_masked(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    [Theory]
    [InlineData("Programme Horizon, gamme premium, Mr Bricolage est un client.")]
    [InlineData("Gamme M. et modèle m. 3 ; Dr. Oetker ; Mrs et Mr : rayons.")]
    public void Civility_like_words_before_a_lower_case_word_stay_when_the_civility_is_ambiguous(string text) =>
        Assert.Equal(text.Replace("Mr Bricolage", "Mr [nom masqué]", StringComparison.Ordinal).Replace("Dr. Oetker", "Dr. [nom masqué]", StringComparison.Ordinal), TextScrubber.Scrub(text));

    [Theory]
    [InlineData("https://www.linkedin.com/profile/view?id=AAAAAB12345")]
    [InlineData("https://www.linkedin.com/mwlite/in/jean-dupont")]
    [InlineData("https://www.linkedin.com/%69n/jean-dupont")]
    [InlineData("https://fr.linkedin.com/pub/dir/Jean/Dupont")]
    public void Any_linkedin_link_but_a_company_school_or_showcase_page_is_a_profile(string website)
    {
        Assert.Null(Website(website));
        Assert.Equal("Profil " + TextScrubber.ProfileMarker, TextScrubber.Scrub("Profil " + website));
    }

    [Theory]
    [InlineData("https://www.linkedin.com/school/ecole-des-mobilites")]
    [InlineData("https://www.linkedin.com/showcase/garage-castan-electrique")]
    public void A_linkedin_school_or_showcase_page_stays(string website) => Assert.Equal(website, Website(website));

    [Theory]
    [InlineData("tél. +34 612 34 56 78")]
    [InlineData("tél. 0034 612345678")]
    [InlineData("tél. +376 812 345")]
    [InlineData("tél. (+41) 79 123 45 67")]
    [InlineData("tél. +44 7911 123456")]
    [InlineData("tél. +39 347 123 4567")]
    [InlineData("tél. +32 470 12 34 56")]
    public void A_phone_number_of_a_neighbouring_country_is_masked(string text) =>
        Assert.Equal("tél. " + TextScrubber.PhoneMarker, TextScrubber.Scrub(text));

    [Theory]
    [InlineData("Croissance de +34 % en 2024, +12 500 000 € de chiffre d'affaires, +39 salariés.")]
    [InlineData("Normes EN 0034 et ISO 26262 ; lot 00390 livré.")]
    public void Growth_figures_near_the_neighbouring_phone_spellings_stay(string text) => Assert.Equal(text, TextScrubber.Scrub(text));

    [Theory]
    [InlineData("contact : Melle Dupont", "contact : Melle [nom masqué]")]
    [InlineData("contact : MELLE DUPONT", "contact : MELLE [nom masqué]")]
    [InlineData("Acte chez Maître Jean Dupont, notaire", "Acte chez Maître [nom masqué], notaire")]
    [InlineData("Acte chez Maitre Dupont", "Acte chez Maitre [nom masqué]")]
    [InlineData("Suivi par le Docteur Dupont", "Suivi par le Docteur [nom masqué]")]
    [InlineData("Conseil du Professeur Jean-Marc Dupont", "Conseil du Professeur [nom masqué]")]
    [InlineData("DOCTEUR DUPONT ; MAÎTRE DUPONT", "DOCTEUR [nom masqué] ; MAÎTRE [nom masqué]")]
    public void A_name_after_a_civility_written_out_or_misspelled_is_masked(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    [Theory]
    [InlineData("Maître d'œuvre et maître artisan ; docteur en mécanique ; Professeur associé.")]
    public void Titles_before_a_lower_case_word_stay(string text) => Assert.Equal(text, TextScrubber.Scrub(text));

    [Theory]
    [InlineData("Écrire à jean.dupont@exe\u200Bmple.fr", "Écrire à [courriel masqué]")]
    [InlineData("Écrire à jean\u00AD.dupont@exemple.fr", "Écrire à [courriel masqué]")]
    [InlineData("tél. 06\u200B12\u200B34\u200B56\u200B78", "tél. [téléphone masqué]")]
    [InlineData("tél. 06\u2060 12 34 56 78", "tél. [téléphone masqué]")]
    [InlineData("contact : Mme\u200B Dupont", "contact : Mme [nom masqué]")]
    [InlineData("profil linked\uFEFFin.com/in/jean-dupont", "profil [lien personnel masqué]")]
    public void Invisible_characters_inside_contact_details_do_not_hide_them(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    [Theory]
    [InlineData("https://www.garage-castan.example/?fbclid=IwAR3xYz")]
    [InlineData("https://www.garage-castan.example/offres?utm_source=news&mc_eid=8f3a2b1c9d")]
    [InlineData("https://www.garage-castan.example/?_hsenc=p2ANqtz-abc&_hsmi=12345")]
    [InlineData("https://www.garage-castan.example/page?mkt_tok=MTIzLUFCQy00NTY")]
    [InlineData("https://www.garage-castan.example/#gclid=Cj0KCQ")]
    [InlineData("https://www.garage-castan.example/?MSCLKID=abc")]
    public void A_website_carrying_a_click_or_recipient_identifier_is_not_published(string website) => Assert.Null(Website(website));

    [Theory]
    [InlineData("https://www.garage-castan.example/?utm_source=annuaire&utm_medium=lien")]
    [InlineData("https://www.garage-castan.example/catalogue?page=2&lang=fr")]
    public void A_website_with_campaign_or_ordinary_parameters_stays(string website) => Assert.Equal(website, Website(website));
}

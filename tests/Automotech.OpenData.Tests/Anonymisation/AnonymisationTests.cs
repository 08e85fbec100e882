using Automotech.OpenData.Anonymisation;

namespace Automotech.OpenData.Tests.Anonymisation;

public class TextScrubberTests
{
    [Theory]
    [InlineData("Écrire à jean.dupont@garage-castan.example pour un devis.", "Écrire à [courriel masqué] pour un devis.")]
    [InlineData("Tél. 05 36 49 12 34.", "Tél. [téléphone masqué].")]
    [InlineData("Tél. 05.36.49.12.34", "Tél. [téléphone masqué]")]
    [InlineData("Tél. 05-36-49-12-34", "Tél. [téléphone masqué]")]
    [InlineData("Tél. 0536491234", "Tél. [téléphone masqué]")]
    [InlineData("Tél. +33 5 36 49 12 34", "Tél. [téléphone masqué]")]
    [InlineData("Tél. +33536491234", "Tél. [téléphone masqué]")]
    [InlineData("Tél. 0033 5 36 49 12 34", "Tél. [téléphone masqué]")]
    [InlineData("Tél. +33 (0)5 36 49 12 34", "Tél. [téléphone masqué]")]
    [InlineData("Virement : FR76 3000 6000 0112 3456 7890 189.", "Virement : [IBAN masqué].")]
    [InlineData("IBAN FR7630006000011234567890189", "IBAN [IBAN masqué]")]
    [InlineData("Profil : https://www.linkedin.com/in/jean-dupont-123, à bientôt", "Profil : [lien personnel masqué], à bientôt")]
    [InlineData("Suivez facebook.com/julien.castan", "Suivez [lien personnel masqué]")]
    [InlineData("Sur https://x.com/jcastan et instagram.com/jcastan", "Sur [lien personnel masqué] et [lien personnel masqué]")]
    [InlineData("Tél. (+33) 6 12 34 56 74", "Tél. [téléphone masqué]")]
    [InlineData("Tél. (0033)6 12 34 56 74", "Tél. [téléphone masqué]")]
    [InlineData("Tél. 06  12  34  56  77.", "Tél. [téléphone masqué].")]
    [InlineData("Tél. 06 - 12 - 34 - 56 - 77", "Tél. [téléphone masqué]")]
    [InlineData("Profil https://www.viadeo.com/p/jean-dupont-42 et fr.viadeo.com/fr/profile/jean.dupont", "Profil [lien personnel masqué] et [lien personnel masqué]")]
    [InlineData("Ancien profil https://www.linkedin.com/pub/jean-dupont/1/2/3.", "Ancien profil [lien personnel masqué]")]
    [InlineData("Page https://m.facebook.com/julien.castan", "Page [lien personnel masqué]")]
    [InlineData("rib : fr14 2004 1010 0505 0001 3m02 606 merci", "rib : [IBAN masqué] merci")]
    [InlineData("IBAN Fr7630006000011234567890189.", "IBAN [IBAN masqué].")]
    [InlineData("Konto de89 3704 0044 0532 0130 00", "Konto [IBAN masqué]")]
    public void Contact_details_are_replaced_by_visible_markers(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    [Theory]
    [InlineData("Fondée en 1998, 120 salariés, 3 sites.")]
    [InlineData("SIRET 73282932000074, capital de 10 000 €.")]
    [InlineData("Pièces de 2015 à 2025 pour 12 constructeurs.")]
    [InlineData("Site de l'entreprise : https://www.garage-castan.example/contact")]
    [InlineData("Normes ISO 9001 et IATF 16949, ligne A320.")]
    [InlineData("SIRET 732 829 320 00074, SIREN 056 800 659, code postal 31170, NAF 29.10Z et 45.20A.")]
    [InlineData("Chiffre d'affaires : 12 500 000 € en 2024, 10  050  000 € en 2023 ; effectif 2019 - 2025 : 30 - 45.")]
    [InlineData("Codes postaux 09000, 31000 et 82000 ; années 2001 2002 2003 2004 2005.")]
    // Shapes of a lower-case IBAN that are not one: no such country ("rn20 vers toulouse" passes
    // the check digits), a wrong length for France, wrong check digits.
    [InlineData("Accès par la rn20 vers toulouse, sortie 12.")]
    // Company websites whose name ends like a profile site's domain (x.com, fb.com).
    [InlineData("Transport : https://www.fedex.com, www.valex.com/contact, www.sadex.com et www.abcfb.com.")]
    [InlineData("Lot fr76 3000 6000 0112 3456 7890 18 livré.")]
    [InlineData("Réf. fr76 3000 6000 0112 3456 7890 188.")]
    [InlineData("Page entreprise https://www.linkedin.com/company/garage-castan et https://www.garage-castan.example/viadeo")]
    public void Ordinary_numbers_are_left_alone(string text) => Assert.Equal(text, TextScrubber.Scrub(text));

    [Theory]
    [InlineData("https://www.fedex.com", "https://www.fedex.com")]
    [InlineData("https://www.abcfb.com/contact", "https://www.abcfb.com/contact")]
    [InlineData("https://www.garage-castan.example", "https://www.garage-castan.example")]
    [InlineData("https://www.linkedin.com/in/jean-dupont-123", null)]
    [InlineData("https://fr-fr.facebook.com/julien.castan", null)]
    [InlineData("contact : jean.dupont@garage-castan.example", null)]
    public void A_website_is_published_as_it_is_or_not_at_all(string website, string? expected) =>
        Assert.Equal(expected, FieldTransforms.Create("drop_if_personal", () => throw new InvalidOperationException())(website));
}

public class CoarseningTests
{
    [Fact]
    public void A_position_coarsens_to_the_commune_or_to_the_departement_chef_lieu()
    {
        string? Apply(string transform, string code) => FieldTransforms.Create(transform, () => throw new InvalidOperationException())(code);
        Assert.Equal("43.59604", Apply("commune_latitude", "31555"));      // Toulouse
        Assert.Equal(Apply("commune_latitude", "31555"), Apply("departement_latitude", "31557")); // Tournefeuille → Toulouse, chef-lieu of 31
        Assert.Equal(Apply("commune_longitude", "12202"), Apply("departement_longitude", "12300")); // an Aveyron commune → Rodez
        Assert.Null(Apply("departement_latitude", "31999"));
    }
}

public class PseudonymiserTests
{
    [Fact]
    public void Same_key_gives_the_same_pseudonym_and_another_key_another()
    {
        var a = new Pseudonymiser(new string('a', 32));
        var b = new Pseudonymiser(new string('b', 32));
        Assert.Equal(a.Pseudonymise("73282932000074"), a.Pseudonymise("73282932000074"));
        Assert.NotEqual(a.Pseudonymise("73282932000074"), b.Pseudonymise("73282932000074"));
        Assert.Matches("^EI-[0-9A-F]{20}$", a.Pseudonymise("73282932000074"));
    }

    [Fact]
    public void Pseudonym_is_the_keyed_HMAC_SHA256_not_a_plain_hash()
    {
        var key = new string('k', 32);
        var expected = Convert.ToHexString(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(key), "73282932000074"u8))[..20];
        Assert.Equal("EI-" + expected, new Pseudonymiser(key).Pseudonymise("73282932000074"));
    }
}

public class HeadcountBandsTests
{
    // Each band's edges, and the two ends: INSEE's codes as Sirene publishes them.
    [Theory]
    [InlineData(null, "NN")]
    [InlineData(0L, "00")]
    [InlineData(1L, "01")]
    [InlineData(2L, "01")]
    [InlineData(3L, "02")]
    [InlineData(9L, "03")]
    [InlineData(10L, "11")]
    [InlineData(49L, "12")]
    [InlineData(50L, "21")]
    [InlineData(199L, "22")]
    [InlineData(249L, "31")]
    [InlineData(250L, "32")]
    [InlineData(999L, "41")]
    [InlineData(1999L, "42")]
    [InlineData(4999L, "51")]
    [InlineData(9999L, "52")]
    [InlineData(10000L, "53")]
    public void Headcounts_map_to_INSEE_bands(long? headcount, string code) =>
        Assert.Equal(code, HeadcountBands.Of(headcount).Code);
}

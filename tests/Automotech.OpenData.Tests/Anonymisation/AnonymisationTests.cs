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

    // The red team's CRM note, then each civility and the shapes of names after it (all names invented).
    [Theory]
    [InlineData("Contact : Mme Ermeline Vautrain, née le 12/03/1975, gérante", "Contact : Mme [nom masqué], [date de naissance masquée], gérante")]
    [InlineData("Suivi par M. Jean-Marc Pélissouart.", "Suivi par M. [nom masqué].")]
    [InlineData("Reçu par M. DUPRAZIER le 3 mai", "Reçu par M. [nom masqué] le 3 mai")]
    [InlineData("Monsieur Aurélien de La Tourvelle, président", "Monsieur [nom masqué], président")]
    [InlineData("MONSIEUR GONTRAN PLANTEVIGNE", "MONSIEUR [nom masqué]")]
    [InlineData("voir avec madame Quérinel demain", "voir avec madame [nom masqué] demain")]
    [InlineData("Madame Élodie Fraysselac-Ombredane et Mademoiselle Zoé Brancaleu", "Madame [nom masqué] et Mademoiselle [nom masqué]")]
    [InlineData("MME LE GOFFRENEC, MLLE ARSÈNE", "MME [nom masqué], MLLE [nom masqué]")]
    [InlineData("Mlle. Ondine O'Brannagh", "Mlle. [nom masqué]")]
    [InlineData("Acte chez Me Gontran d’Esparvelle, notaire", "Acte chez Me [nom masqué], notaire")]
    [InlineData("Me Ravanel (avocat)", "Me [nom masqué] (avocat)")]
    [InlineData("Dr Sévrine Oustalet et Pr. Anselme van der Mirbeek", "Dr [nom masqué] et Pr. [nom masqué]")]
    [InlineData("Dr. Ysaline Castanhoul", "Dr. [nom masqué]")]
    [InlineData("M. J.-P. Castanhoul", "M. [nom masqué]")]
    [InlineData("(Mme Vautrain)", "(Mme [nom masqué])")]
    [InlineData("Gérante\u00A0: Mme\u00A0Vautrain ; M.\u202FQuérinel", "Gérante\u00A0: Mme\u00A0[nom masqué] ; M.\u202F[nom masqué]")]
    [InlineData("Ets M. Bousquéral", "Ets M. [nom masqué]")] // a company named after a person: the name goes too
    public void A_name_after_a_civility_is_replaced_by_a_marker(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    // The README's examples of what scrub masks though it is not a person's, and of what it does
    // not catch (section "What scrub masks"), held here so that the README stays true.
    [Theory]
    [InlineData("Ets M. Bousquet", "Ets M. [nom masqué]")]
    [InlineData("M. Gontran Plantevigne Directeur Général", "M. [nom masqué] Général")]
    [InlineData("M. Plantevigne de Toulouse", "M. [nom masqué]")]
    [InlineData("taille M. Livraison sous 8 jours", "taille M. [nom masqué] sous 8 jours")]
    [InlineData("taille M. pour enfants", "taille M. [nom masqué] enfants")]
    [InlineData("M. le Maire de Blagnac", "M. [nom masqué]")]
    [InlineData("RDV AVEC ME MARTIN", "RDV AVEC ME MARTIN")]
    [InlineData("ME RAPPELER LUNDI", "ME [nom masqué]")]
    [InlineData("Contact : MR DUPONT", "Contact : [nom masqué] [nom masqué]")]
    [InlineData("CONTACT ME MARTIN", "CONTACT [nom masqué]")]
    [InlineData("RDV le 12 M. Dupont", "RDV le 12 M. Dupont")]
    [InlineData("L'entreprise est née en 1998", "L'entreprise est [date de naissance masquée]")]
    [InlineData("Contact : Ermeline Vautrain", "Contact : [nom masqué]")]
    [InlineData("Une pièce signée Ermeline Vautrain à Albi", "Une pièce signée Ermeline Vautrain à Albi")]
    [InlineData("née le 12/03/1975 à Albi", "[date de naissance masquée] à Albi")]
    [InlineData("gérante, 45 ans", "gérante, 45 ans")]
    [InlineData("Garage M Automobiles", "Garage M [nom masqué]")]
    [InlineData("M Automobiles", "M [nom masqué]")]
    [InlineData("BMW M Performance", "BMW M [nom masqué]")]
    [InlineData("Dr Auto Services", "Dr [nom masqué]")]
    [InlineData("MM. Dupont et Martin", "MM. [nom masqué]")]
    [InlineData("mmes dupont et martin", "mmes [nom masqué] et martin")]
    [InlineData("modèle M 12, Série M, taille M ou L, Pr 3, M-12", "modèle M 12, Série M, taille M ou L, Pr 3, M-12")]
    public void The_readmes_examples_of_over_masking_and_of_what_is_not_caught_hold(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    [Theory]
    [InlineData("Gérant, né le 12/03/1975.", "Gérant, [date de naissance masquée].")]
    [InlineData("Née le 12 mars 1975 à Albi", "[date de naissance masquée] à Albi")]
    [InlineData("NÉ LE 12.03.1975", "[date de naissance masquée]")]
    [InlineData("NEE LE 12-03-75 ; ne le 1975-03-12", "[date de naissance masquée] ; [date de naissance masquée]")]
    [InlineData("né(e) le 1er mars 1975, né·e le 2 août", "[date de naissance masquée], [date de naissance masquée]")]
    [InlineData("gérante (née en 1975)", "gérante ([date de naissance masquée])")]
    [InlineData("né en décembre 1968", "[date de naissance masquée]")]
    [InlineData("née à Saint-Jean-de-Luz le 3 avril 1980, cogérante", "[date de naissance masquée], cogérante")]
    [InlineData("Date de naissance : 12/03/1975", "[date de naissance masquée]")]
    [InlineData("date de naissance\u202F: 12/03/1975 ; DDN 04.11.1968 ; ddn:4/11/68", "[date de naissance masquée] ; [date de naissance masquée] ; [date de naissance masquée]")]
    [InlineData("née\u00A0le\u00A012\u00A0mars\u00A01975", "[date de naissance masquée]")]
    public void A_date_of_birth_is_replaced_by_a_marker(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    [Theory]
    [InlineData("Société créée le 12/03/1975, active depuis 1975, fondée en 1998.")]
    [InlineData("Portes ouvertes : la journée le 12/03/2024, puis chaque année en 2025.")]
    [InlineData("Ouvert Lu Ma Me Je Ve de 8 h à 18 h.")]
    [InlineData("Me voici à Toulouse. Me contacter par le formulaire.")]
    [InlineData("Dessert par l'A9 et la M6 ; Programme Horizon, Gamme Premium.")]
    [InlineData("GAMME PREMIUM ET PROGRAMME HORIZON")]
    [InlineData("Partenaires : DR Occitanie, PR Conseil, P.M.E. Toulouse et Wi-Me Connect.")]
    [InlineData("Production, Prototypage et Drones ; Membre du Pôle ; Mécanique Précision.")]
    [InlineData("Chez M. et Mme : pièces d'occasion ; modèle M. 3 portes.")]
    [InlineData("Une entreprise ne le 12 ; il ne le dit pas en 2024.")]
    public void Ordinary_dates_and_civility_like_words_are_left_alone(string text) => Assert.Equal(text, TextScrubber.Scrub(text));

    [Fact]
    public void The_guards_skip_only_rules_that_cannot_match()
    {
        // Texts made of the rules' pieces and their look-alikes, glued by blanks or nothing: the
        // guards (no digit, no civility, no word a date of birth follows…) must never skip a match.
        var texts = ScrubberFuzz.Texts(seed: 20261127, count: 60_000);
        var differ = texts.Where(t => TextScrubber.Scrub(t) != TextScrubber.ScrubEveryRule(t)).Take(5).ToList();
        Assert.Empty(differ);
        Assert.True(texts.Count(t => TextScrubber.Scrub(t).Contains(TextScrubber.NameMarker, StringComparison.Ordinal)) > 1000);
        Assert.True(texts.Count(t => TextScrubber.Scrub(t).Contains(TextScrubber.BirthDateMarker, StringComparison.Ordinal)) > 300);
    }

    [Fact]
    public void The_guards_skip_only_rules_that_cannot_match_with_role_and_contact_cues()
    {
        // The same, half of the pieces those of the rule of a name after a cue: its guard (a capital
        // after separators that follow a cue's last word or a word of a role) must never skip a match.
        var texts = ScrubberFuzz.Texts(seed: 20261128, count: 60_000, cues: true);
        var differ = texts.Where(t => TextScrubber.Scrub(t) != TextScrubber.ScrubEveryRule(t)).Take(5).ToList();
        Assert.Empty(differ.Select(t => $"{t} => {TextScrubber.Scrub(t)} / {TextScrubber.ScrubEveryRule(t)}"));
        Assert.True(texts.Count(t => TextScrubber.Scrub(t).Contains(TextScrubber.NameMarker, StringComparison.Ordinal)) > 3000);
    }

    [Fact]
    public void The_guards_skip_only_rules_that_cannot_match_with_more_civilities_and_titles()
    {
        // The same, half of the pieces the civilities and titles added later and their look-alikes:
        // the civility guard (M before a blank, MM, Me., Mes…) must never skip a match.
        var texts = ScrubberFuzz.Texts(seed: 20261130, count: 60_000, civilities: true);
        var differ = texts.Where(t => TextScrubber.Scrub(t) != TextScrubber.ScrubEveryRule(t)).Take(5).ToList();
        Assert.Empty(differ.Select(t => $"{t} => {TextScrubber.Scrub(t)} / {TextScrubber.ScrubEveryRule(t)}"));
        Assert.True(texts.Count(t => TextScrubber.Scrub(t).Contains(TextScrubber.NameMarker, StringComparison.Ordinal)) > 3000);
    }

    [Fact]
    public void The_guards_skip_only_rules_that_cannot_match_with_words_and_a_colon_after_a_cue()
    {
        // The same, each text holding a cue, up to four words of any kind (links between them) and
        // a colon, then a name or its look-alikes: the guard (a cue's word before one of the last
        // blank runs before a colon) must never skip a match, and the name after the colon goes.
        var texts = ScrubberFuzz.Texts(seed: 20261129, count: 60_000, cues: true, colons: true);
        var differ = texts.Where(t => TextScrubber.Scrub(t) != TextScrubber.ScrubEveryRule(t)).Take(5).ToList();
        Assert.Empty(differ.Select(t => $"{t} => {TextScrubber.Scrub(t)} / {TextScrubber.ScrubEveryRule(t)}"));
        Assert.True(texts.Count(t => ScrubberFuzz.ColonThenName().IsMatch(TextScrubber.Scrub(t))) > 10_000);
    }

    [Theory]
    [InlineData("https://www.fedex.com", "https://www.fedex.com")]
    [InlineData("https://www.abcfb.com/contact", "https://www.abcfb.com/contact")]
    [InlineData("https://www.garage-castan.example", "https://www.garage-castan.example")]
    [InlineData("https://www.linkedin.com/in/jean-dupont-123", null)]
    [InlineData("https://fr-fr.facebook.com/julien.castan", null)]
    [InlineData("contact : jean.dupont@garage-castan.example", null)]
    [InlineData("https://www.dr-meuniot.example/Mme-Vautrain/ne-le-12-03-1975", "https://www.dr-meuniot.example/Mme-Vautrain/ne-le-12-03-1975")]
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

/// <summary>Random texts (seeded) made of the scrub rules' pieces and their look-alikes; all names invented.</summary>
public static class ScrubberFuzz
{
    private static readonly string[] Pieces =
    [
        "M.", "Mme", "Mme.", "MME", "Mlle", "MLLE", "Monsieur", "MONSIEUR", "monsieur", "Madame", "madame", "MADAME", "Mademoiselle",
        "mademoiselle", "Me", "Dr", "Dr.", "Pr", "Pr.", "DR", "PR", "Mmes", "M", "Vautrain", "QUÉRINEL", "Jean-Marc", "d’Esparvelle",
        "D'Alembrac", "J.", "J.-P.", "de", "du", "la", "LE", "van", "der", "d'", "Je", "Ve", "Lu", "Gamme", "Programme", "voici", "Élodie",
        "né", "née", "Née", "NÉ", "NÉE", "ne", "nee", "NEE", "né(e)", "né·e", "le", "Le", "en", "EN", "à", "Albi", "Saint-Jean-de-Luz",
        "date", "Date", "naissance", "DDN", "ddn", ":", "12/03/1975", "4/11/68", "12.03.1975", "1975-03-12", "1975", "2024", "12", "3",
        "1er", "mars", "Août", "décembre", "mai", "journée", "année", "créée", ",", ";", "(", ")", ".", "-", "_", "'", "’", "P.M.E.", "x",
        "06 12 34 56 78", "jo.vautrain@exemple-prive.example", "FR76 3000 6000 0112 3456 7890 189", "linkedin.com/in/jo-vautrain",
        "née le", "NÉ LE", "né(e) le", "né en", "Née à Albi le", "date de naissance :", "Date de naissance", "DDN :", "le 12/03/1975",
        "12 mars 1975", "en 1968", "le 1er",
        // The pieces of the rules a privacy review added (2026-11-27): hosts of profiles and short
        // links, '@' and dots spelled out or encoded, more civilities and lower-case names, foreign
        // numbers, invisible and full-width characters; and their look-alikes.
        "lnkd.in/jo", "LNKD.IN", "fb.me/jo", "wa.me/33612345678", "t.me/jo", "instagr.am/jo", "malt.fr/profile/jo", "linkedin.fr/in/jo",
        "linkedin.com/company/castan", "fedex.com", "Ste.", "T.", "com", "me", "in", "am", "jo", "exemple.fr", "Exemple.COM",
        "at", "AT", "(at)", "[at]", "{ at }", "arobase", "ARobase", "atelier", "[dot]", "(point)", "dot", "point", "%40", "%", "&",
        "&#64;", "&#x40;", "&COMMAT;", "&#46;", "R&D", "\uFF20", "\uFE6B", "@", "Mr", "Mrs", "Mr.", "Melle", "MELLE", "mme", "mlle",
        "Docteur", "PROFESSEUR", "Maître", "Maitre", "dupont", "et", "+34 612 34 56 78", "0034 612345678", "(+41) 79 123 45 67", "+34 %",
        "\u200B", "\u00AD", "\uFEFF", "\uFF10\uFF16 \uFF11\uFF12", "061 234 5678", "06/12/34/56/78", "+33.6 12 34 56 78",
        // The pieces of the guards made cheaper later (2026-11-27): the start of an IBAN (two
        // letters, two digits) and its look-alikes, the other forms of "né", characters above
        // U+00AD that hide nothing (typographic quotes and dashes, €, ellipsis) beside those that do.
        "fr76", "FR7", "de89 3704 0044 0532 0130 00", "A320", "IATF16949", "ab1", "x12", "é12", "ne(e)", "ne.e", "né.e", "NE(E)", "ne·e",
        "(né", "Né(E)", "NÉ·E", "\u2013", "\u2019", "€", "\u2026", "\u180E", "\u2060", "\u200F", "Œuvre",
    ];

    private static readonly string[] CivilityPieces =
    [
        // The civilities and titles added later (2026-11-27, README "What scrub masks"): M without
        // its dot, the plurals and the separators of their lists, Me., the feminine titles, initials
        // joined otherwise, more particles; and their look-alikes (sizes, models, amounts).
        "M", "M", "M.", "MM", "MM.", "Mmes", "Mmes.", "MMES", "mmes", "Mlles", "mlles", "Melles", "Messieurs", "MESSIEURS", "messieurs",
        "Mesdames", "mesdames", "Mesdemoiselles", "MESDEMOISELLES", "Me", "Me.", "Docteure", "DOCTEURE", "Professeure", "Dr", "J-P", "J.P.",
        "J-Pierre", "M.-A.", "JP", "A-12", "J", "di", "da", "dos", "DEL", "della", "de", "et", "ET", "&", ",", "Vautrain", "QUÉRINEL",
        "dupont", "Automobiles", "M 12", "M3", "M€", "Série", "M-", "-P", "12", ".",
        // "M." before a lower-case name, and a role after it (2026-11-28).
        "durand-lefort", "l'adjoint", "le maire", "la", "d'",
        // Prof, Dre, Mgr, Monseigneur, Vve, MR and ME in capitals, and their look-alikes (2026-11-28).
        "Prof", "Prof.", "Production", "Dre", "Dre.", "DRE", "Dream", "Mgr", "Mgr.", "Monseigneur", "MONSEIGNEUR", "Vve", "VVE", "Vve.",
        "MR", "MR.", "ME", "ME.", "IL", "DUPONT", "DIT", "JE", "PME", "MRS",
        // Veuve, PROF and MGR in capitals, Mtre, the plurals Drs, Prs, Mes, and "m." in lower case
        // (2026-11-28); and their look-alikes: a sentence's end, a number, a unit word before "m.".
        "Veuve", "VEUVE", "veuve", "PROF", "PROF.", "MGR", "MGR.", "Mtre", "Mtre.", "Drs", "Drs.", "Prs", "Prs.", "Mes", "Mes.", "mes",
        "MES", "m.", "m", "en", "par", "au", "!", "?", "\u2026", "\n", "3 m.", "Ravanel",
        // M after a number, a million, and its neighbours (2026-11-28).
        "12 M", "3,5 M.", "Euros", "euros", "Dollars", "12\u00A0M", "7", "12 MM", "MM.",
    ];

    private static readonly string[] CuePieces =
    [
        // The pieces of the rule of a name after a role or a contact cue (2026-11-27, README "What
        // scrub masks"): cues in their forms and cases, words of a role, links, separators, names,
        // and look-alikes (a capital after a blank that follows no cue, case-folding oddities).
        "Contact", "contact :", "CONTACTS", "Contactez", "Gérante", "gerant", "Cogérant", "Directrice", "DIRECTEUR", "Général", "generale",
        "Responsable", "Qualité", "R&D", "HSE/Qualité", "Qualité&HSE", "Service", "achats", "Chargée", "chargé d'affaires", "de la", "mission",
        "d'usine", "Président", "Vice-président", "PDG", "dg", "CEO", "Cto", "Associée", "l'associé", "Interlocutrice", "Référent",
        "correspondant", "Dirigeant", "Fondatrice", "voir", "Voir avec", "avec", "s'adresser", "S’adresser à", "a", "fondée", "Fondé par",
        "par", "créee", "reprise par", "Demander", "appeler", "JOINDRE", "ou", "/", "&", "\u2014", "\u2013 ", ": ", ", ", "Ermeline",
        "VAUTRAIN", "Renault", "Toulouse", "O'Brannagh", "d'Esparvelle", "Contact\u017F", "AS\u017FOCIÉ", "\u212Aontact", "D\u0130RECTEUR", "dırecteur", "Sıte",
    ];

    private static readonly string[] Glue = [" ", " ", " ", "", "\u00A0", "\u202F", "\t", "  "];

    // The shape of a name after a cue, words of a role the list does not hold and a colon
    // (2026-11-27, README "What scrub masks"): the words (any case, hyphens, apostrophes, links,
    // words of the list among them), the colon's look-alikes, and what may follow it.
    private static readonly string[] ColonWords =
    [
        "Veille", "veille", "VEILLE", "Technologique", "technologique", "Concurrentielle", "Brevets", "Poids-Lourds", "d'équipe",
        "d'Intelligence", "l'Innovation", "de", "de la", "des", "et", "du", "Qualité", "achats", "Ysaline", "Castanhoul", "x", "É",
    ];

    private static readonly string[] ColonCues =
    [
        "Responsable", "responsable", "RESPONSABLE", "Chargée", "chargé de", "Contact", "Contacts", "Directrice", "Gérante", "Voir avec",
        "appeler", "Directeur Général", "Responsable R&D", "Contact Presse", "Vice-président", "Contact\u017F", "l'associé",
    ];

    private static readonly string[] AfterColon =
    [
        "Ysaline Castanhoul", "YSALINE", "J.-P. Castanhoul", "d'Esparvelle", "d’Esparvelle", "de la Tour", "Mme Vautrain", "Service achats",
        "Directrice Générale", "voir le site", "05 61 23 45 67", "2 personnes", "Accord signé", "Vautrain et Quérinel", "Renault, Toulouse",
        "Œlise", "Élodie", "Gérante", "R&D",
    ];

    private static readonly string[] ColonSeparators = [" : ", ": ", " :", ":", "\u00A0:\u00A0", "\u202F: ", " - ", ", ", " ;", " ::", "  :  "];

    /// <summary>A name marker right after a colon and blanks, in a scrubbed text.</summary>
    public static System.Text.RegularExpressions.Regex ColonThenName() => new(":[ \u00A0\u202F]*" + System.Text.RegularExpressions.Regex.Escape(TextScrubber.NameMarker));

    /// <summary>
    /// Texts of the pieces; with <paramref name="cues"/>, every other piece is one of the pieces of
    /// the rule of a name after a cue, with <paramref name="civilities"/> one of the civilities and
    /// titles added later (mixes kept apart, so that the counts of the other rules' matches in the
    /// texts without them stay what their tests expect).
    /// </summary>
    public static List<string> Texts(int seed, int count, bool cues = false, bool colons = false, bool civilities = false)
    {
        var random = new Random(seed);
        var texts = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var text = new System.Text.StringBuilder();
            if (colons)
            {
                // Pieces, a cue, zero to four words, a colon or its look-alikes, what follows; then pieces.
                for (var n = random.Next(0, 3); n > 0; n--)
                {
                    text.Append(CuePieces[random.Next(CuePieces.Length)]).Append(Glue[random.Next(Glue.Length)]);
                }

                text.Append(ColonCues[random.Next(ColonCues.Length)]);
                for (var n = random.Next(0, 5); n > 0; n--)
                {
                    text.Append(Glue[random.Next(Glue.Length)]).Append(ColonWords[random.Next(ColonWords.Length)]);
                }

                text.Append(ColonSeparators[random.Next(ColonSeparators.Length)]).Append(AfterColon[random.Next(AfterColon.Length)]).Append(Glue[random.Next(Glue.Length)]);
            }

            for (var n = random.Next(1, 9); n > 0; n--)
            {
                var pieces = (cues || civilities) && random.Next(2) == 0 ? (civilities ? CivilityPieces : CuePieces) : Pieces;
                text.Append(pieces[random.Next(pieces.Length)]).Append(Glue[random.Next(Glue.Length)]);
            }

            texts.Add(text.ToString());
        }

        return texts;
    }
}

using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using Automotech.OpenData.Reference;
using CsvHelper;

namespace Automotech.OpenData.DemoData;

/// <summary>
/// Writes a FICTIONAL but realistic CRM export of the Automotech cluster: members across Occitanie
/// (heaviest around Toulouse) and prospects in the former Languedoc-Roussillon. Every name, person,
/// SIRET, address, e-mail (under .example) and phone number (05 36 49 / 06 39 98, set aside for
/// fiction) is invented. Deterministic: the same (rows, seed) gives the same bytes on any machine
/// (seeded <see cref="Random"/>, integer arithmetic, invariant culture, no clock).
/// </summary>
/// <remarks>
/// Rows follow a fixed plan of 250 slots (member or prospect, type, specialisation, size class, and
/// the special rows), shuffled for every block of 250 rows, so that 250 rows give the published
/// figures (≈190 members of which ≈80 specialised, ≈60 prospects, ≈11,000 employees and ≈€2 billion of
/// revenue among members, 12 sole proprietors, 5 bad rows) and larger files keep the proportions.
/// The 5 deliberately bad rows are: a SIRET failing the Luhn check, the unknown commune 31999, an
/// empty company name, a SIRET duplicating an earlier row's, and the NAF code 29.99Z.
/// </remarks>
public static class DemoActorGenerator
{
    private const int CycleLength = 250;
    private static readonly DateOnly Today = new(2026, 11, 1);
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly string[] ColumnNames =
    [
        "id_crm", "raison_sociale", "siret", "categorie_juridique", "statut_diffusion", "type_acteur", "adherent",
        "date_adhesion", "code_naf", "specialise_automobile", "sous_filieres", "thematiques", "adresse", "code_postal",
        "commune", "code_commune", "latitude", "longitude", "effectif", "chiffre_affaires_eur", "site_web",
        "contact_civilite", "contact_prenom", "contact_nom", "contact_fonction", "contact_email", "contact_telephone",
        "description", "date_maj",
    ];

    private static readonly string[] TypeSlugs =
        Split("grand-groupe|eti|pme|tpe|start-up|formation|laboratoire|plateforme-technologique|centre-essais");

    private static readonly string[] FiliereSlugs = Split("motorisation|chassis-liaison-sol|carrosserie-habitacle|electronique-embarquee|plasturgie-composites|mecanique-usinage|services-ingenierie|distribution-apres-vente");
    private static readonly string[] FiliereLabels = Split("motorisation|châssis et liaison au sol|carrosserie et habitacle|électronique embarquée|plasturgie et composites|mécanique et usinage|ingénierie et essais|distribution et après-vente");
    private static readonly string[] ThemeSlugs = Split("vehicule-electrique|hydrogene|vehicule-autonome|allegement|industrie-4-0|recyclage-economie-circulaire|cybersecurite|sport-automobile");
    private static readonly string[] ThemeLabels = Split("le véhicule électrique|l'hydrogène|le véhicule autonome|l'allègement des structures|l'industrie 4.0|le recyclage et l'économie circulaire|la cybersécurité embarquée|le sport automobile");

    private static readonly string[] MaleNames = Split("Julien|Thomas|Nicolas|Sébastien|Mathieu|Guillaume|Pierre|Laurent|Olivier|Christophe|Antoine|Romain|Vincent|Jérôme|Benoît|Damien|Florian|Maxime|Hugo|Lucas|Jean-Marc|Philippe|Stéphane|Fabien|Cédric|Alexandre|Bastien|Yannick|Frédéric|Arnaud");
    private static readonly string[] FemaleNames = Split("Julie|Marie|Sophie|Camille|Émilie|Laure|Céline|Aurélie|Claire|Nathalie|Isabelle|Sandrine|Élodie|Pauline|Charlotte|Manon|Léa|Anne|Valérie|Hélène|Mélanie|Audrey|Sarah|Cécile|Marion|Agnès|Laetitia|Virginie|Amandine|Chloé");
    private static readonly string[] LastNames = Split("Castan|Fabre|Roux|Bonnet|Garcia|Martinez|Mercier|Fournier|Girard|Lambert|Faure|Rousseau|Blanc|Guérin|Perrin|Morin|Clément|Gauthier|Dumont|Lopez|Fontaine|Robin|Masson|Sanchez|Boyer|Lacroix|Bertrand|Delmas|Bousquet|Cazals|Vidal|Sabatier|Marty|Azéma|Bénézech|Séguy|Pujol|Rouquette|Teulière|Carrère|Dupuy|Lafont|Estève|Cabrol|Maurel|Rigal|Calvet|Soulié|Bonnafous|Couderc|Barthe|Lacombe|Gimenez|Ferrand");
    private static readonly string[] NamePrefixes = Split("Méca|Axo|Volt|Électro|Dyna|Cyber|Hydro|Lumi|Vecto|Néo|Carbo|Ondi|Tekno|Propul|Kiné|Aluxa|Occi|Pyré");
    private static readonly string[] NameSuffixes = Split("tronic|tech|lys|mob|dyn|vel|ria|tis|nov|drive|motion|cap|go|lab");
    private static readonly string[] NameTails = Split("Industries|Technologies|Systems|Engineering|Mobility|Labs");
    // Names: {0} invented word, {1} pays, {2} "du pays", {3} "de la Haute-Garonne", {4} "de Toulouse", {5} activity noun, {6} tail.
    private static readonly string[][] NameTemplates =
    [
        Split("{0} Automotive France|{0} {6}"), Split("{0} {1}|{0}|{5} {2}|{5} {0}|{0} {6}"), Split("{0} {1}|{0}|{5} {2}|{5} {0}|{0} {6}"),
        Split("{0} {1}|{0}|{5} {2}|{5} {0}|{0} {6}"), Split("{0}|{0} {6}"),
        Split("Institut des mobilités {3}|Lycée des métiers de l'automobile {4}|Campus des métiers de l'automobile {2}|École supérieure des mobilités {4}"),
        Split("Laboratoire de mécatronique {4}|Laboratoire des systèmes embarqués {2}|Institut de recherche sur les mobilités {3}"),
        Split("Plateforme technologique {0}|Centre technique des composites {2}|Plateforme d'essais {4}"), ["Circuit d'essais des Cévennes"],
    ];

    // Descriptions by type, then sole proprietors, then garages and dealers: {0} activity, {1} "d'activité", {2} sous-filière,
    // {3} thématique, {4} "à Toulouse", {5} "de Toulouse", {6} year founded, {7} Activity.
    private static readonly string[][] DescriptionTemplates =
    [
        Split("Site industriel d'un groupe international : {0}. Programmes en cours sur {3}.|Établissement {4} d'un équipementier mondial ({0}), fournisseur des constructeurs européens."),
        Split("ETI familiale spécialisée en {0}, fournisseur de rang 1 des constructeurs.|Entreprise de taille intermédiaire : {0}, avec un bureau d'études tourné vers {3}."),
        Split("PME {1} travaillant pour les équipementiers de rang 1 et 2.|Sous-traitant en {0}, certifié IATF 16949, qui développe une offre pour {3}.|Entreprise {1} implantée {4}, également présente dans l'aéronautique."),
        Split("Petite entreprise {1} au service des garages et des industriels de la région.|Atelier {1} travaillant en sous-traitance pour l'automobile et l'aéronautique."),
        Split("Start-up fondée en {6}, qui travaille sur {3} ({0}).|Jeune entreprise innovante qui industrialise une technologie pour {3}."),
        Split("Établissement d'enseignement : formations initiales et continues en {2}, du bac professionnel au diplôme d'ingénieur.|Formations en alternance aux métiers de l'automobile, spécialité {2}."),
        Split("Laboratoire de recherche publique : travaux sur {3} et transfert de technologie vers les PME.|Unité de recherche universitaire en {2} ; accueille des thèses CIFRE avec des industriels."),
        Split("Plateforme technologique ouverte aux entreprises : essais, prototypage et formation en {2}.|Centre de ressources technologiques mutualisé, spécialisé dans {3}."),
        ["Circuit d'essais et pistes de mise au point pour véhicules légers et de compétition, ouverts aux constructeurs et aux équipementiers."],
        Split("Entrepreneur individuel : {0}, intervient autour {5}.|Activité indépendante {1} créée en {6}."),
        Split("Entreprise {1} implantée {4} ; clientèle de particuliers et de flottes d'entreprises.|{7} : atelier agréé pour véhicules thermiques, hybrides et électriques."),
    ];

    private static readonly string[] CompanyFunctions = Split("Directeur général/Directrice générale|Président/Présidente|Responsable R&D/Responsable R&D|Directeur industriel/Directrice industrielle|Responsable qualité/Responsable qualité|Directeur de site/Directrice de site|Responsable achats/Responsable achats");
    private static readonly string[] SchoolFunctions = Split("Proviseur/Proviseure|Directeur des formations/Directrice des formations|Chef de travaux/Cheffe de travaux");
    private static readonly string[] LabFunctions = Split("Directeur du laboratoire/Directrice du laboratoire|Chargé de valorisation/Chargée de valorisation");
    private static readonly string[] PlatformFunctions = Split("Directeur/Directrice|Responsable commercial/Responsable commerciale|Responsable technique/Responsable technique");
    private static readonly string[] StreetTypes = Split("rue|avenue|chemin|impasse|allée|boulevard|route");
    private static readonly string[] StreetNames = Split("des Ateliers|de l'Industrie|des Forges|du Moulin|des Artisans|de la Gare|des Pyrénées|du Stade|des Tilleuls|de l'Aérodrome|des Entrepreneurs|des Mimosas|de la Mécanique|du Canal|des Vignes|des Platanes|de la Tuilerie|des Chênes");
    private static readonly string[] Zones = Split("ZI de la Plaine|ZA des Cigales|Parc technologique du Canal|ZAC des Tuileries|ZA du Pont-Vieux|Parc d'activités des Auréats");

    // Members: 31 about 45 %, then 81, 82, 65, 12, 46, 32, 09. Prospects: former Languedoc-Roussillon only.
    private static readonly (string Code, int Weight)[] MemberDepartements =
        [("31", 45), ("81", 12), ("82", 9), ("65", 9), ("12", 8), ("46", 7), ("32", 5), ("09", 5)];

    // Sole proprietors cluster as they do: garages and small engineering offices around Toulouse
    // and Montauban (one draw each, like the lists they replace, so every other row is unchanged).
    private static readonly (string Code, int Weight)[] SoleMemberDepartements = [("31", 5), ("82", 1)];

    private static readonly (string Code, int Weight)[] ProspectDepartements =
        [("34", 40), ("30", 25), ("66", 20), ("11", 12), ("48", 3)];

    // "de" phrase of each département, then of a few of its pays (the bare name drops the article).
    private static readonly Dictionary<string, string[]> Pays = new(StringComparer.Ordinal)
    {
        ["09"] = Split("de l'Ariège|du Couserans|du Pays d'Olmes"), ["11"] = Split("de l'Aude|du Minervois|des Corbières|du Razès"),
        ["12"] = Split("de l'Aveyron|du Rouergue|du Ségala|du Lévézou"), ["30"] = Split("du Gard|des Cévennes|de la Vaunage|de l'Uzège"),
        ["31"] = Split("de la Haute-Garonne|du Lauragais|du Comminges|du Volvestre|de la Save"), ["32"] = Split("du Gers|de Gascogne|de Lomagne|de l'Armagnac"),
        ["34"] = Split("de l'Hérault|du Biterrois|du Lodévois|de Thau"), ["46"] = Split("du Lot|du Quercy|du Causse|de la Bouriane"),
        ["48"] = Split("de la Lozère|du Gévaudan|de la Margeride|de l'Aubrac"), ["65"] = Split("des Hautes-Pyrénées|de Bigorre|des Baronnies|du Lavedan"),
        ["66"] = Split("des Pyrénées-Orientales|du Roussillon|du Conflent|du Vallespir"), ["81"] = Split("du Tarn|de l'Albigeois|du Castrais|du Gaillacois"),
        ["82"] = Split("du Tarn-et-Garonne|du Bas-Quercy|de la Lomagne|du Frontonnais"),
    };

    // code;sous-filière;noun for names;activity for descriptions. The first 11 are the specialised codes.
    private static readonly Dictionary<string, (int Filiere, string Noun, string Activity)> Naf = Split(
        "29.10Z;0;Véhicules spéciaux;construction de véhicules spéciaux|29.20Z;2;Carrosseries;carrosserie industrielle et remorques|" +
        "29.31Z;3;Électronique auto;équipements électriques et électroniques automobiles|29.32Z;1;Équipements auto;équipements et sous-ensembles automobiles|" +
        "22.11Z;1;Pneumatiques;fabrication et rechapage de pneumatiques|45.11Z;7;Automobiles;commerce de voitures et de véhicules légers|" +
        "45.19Z;7;Véhicules utilitaires;commerce de véhicules utilitaires|45.20A;7;Garage;entretien et réparation de véhicules légers|" +
        "45.20B;7;Poids lourds;entretien et réparation de véhicules industriels|45.31Z;7;Pièces auto;distribution de pièces détachées automobiles|" +
        "71.20A;6;Contrôle technique;contrôle technique automobile|25.62A;5;Décolletage;décolletage de précision|25.62B;5;Usinage;usinage mécanique de précision|" +
        "25.61Z;5;Traitements de surface;traitement et revêtement des métaux|22.29A;4;Composites;pièces techniques en plastiques et composites|" +
        "28.41Z;5;Machines-outils;conception de machines-outils|26.11Z;3;Composants;composants électroniques|27.11Z;0;Moteurs électriques;moteurs et génératrices électriques|" +
        "62.01Z;6;Logiciels;développement de logiciels embarqués|71.12B;6;Ingénierie;ingénierie et études techniques|72.19Z;6;Recherche;recherche et développement|" +
        "33.12Z;5;Maintenance;maintenance de machines industrielles|24.54Z;5;Fonderie;fonderie de métaux légers|85.42Z;6;Formation;enseignement supérieur|" +
        "71.20B;6;Essais;essais et analyses techniques")
        .Select(line => line.Split(';'))
        .ToDictionary(p => p[0], p => (int.Parse(p[1], Inv), p[2], p[3]), StringComparer.Ordinal);

    private static readonly string[] SpecLarge = Split("29.10Z|29.20Z|29.31Z|29.32Z|29.32Z|22.11Z");
    private static readonly string[] SpecPme = Split("29.10Z|29.20Z|29.31Z|29.32Z|29.32Z|22.11Z|45.11Z|45.19Z|45.20A|45.20A|45.20B|45.31Z|71.20A");
    private static readonly string[] SpecSmall = Split("45.20A|45.20A|45.20B|45.31Z|45.11Z|71.20A|29.20Z");
    private static readonly string[] SpecStartUp = Split("29.31Z|29.31Z|29.10Z|29.32Z");
    private static readonly string[] OtherLarge = Split("26.11Z|27.11Z|25.61Z|22.29A|24.54Z|28.41Z|25.62A");
    private static readonly string[] OtherPme = Split("25.62A|25.62B|25.62B|25.61Z|22.29A|22.29A|28.41Z|26.11Z|27.11Z|62.01Z|71.12B|33.12Z|24.54Z");
    private static readonly string[] OtherSmall = Split("25.62B|33.12Z|71.12B|62.01Z");
    private static readonly string[] SoleSpec = Split("45.20A|45.20B");
    private static readonly string[] SoleOther = Split("71.12B|71.12B|25.62B");
    private static readonly string[] OtherStartUp = Split("62.01Z|72.19Z|71.12B|27.11Z|26.11Z");

    private static readonly Slot[] Plan = BuildPlan();

    private enum ActorType { GrandGroupe, Eti, Pme, Tpe, StartUp, Formation, Laboratoire, Plateforme, CentreEssais }

    [Flags]
    private enum Traits
    {
        None = 0, Sole = 1, Hidden = 2, PersonalSite = 4, NoHeadcount = 8, NoRevenue = 16,
        EmailInText = 32, PhoneIntl = 64, PhoneDots = 128, PhoneDigits = 256,
        BadLuhn = 512, BadCommune = 1024, BadName = 2048, BadDuplicate = 4096, BadNaf = 8192,
        AnyBad = BadLuhn | BadCommune | BadName | BadDuplicate | BadNaf,
    }

    /// <summary>The 29 column names, in file order.</summary>
    public static IReadOnlyList<string> Columns { get; } = new ReadOnlyCollection<string>(ColumnNames);

    /// <summary>
    /// Writes the header and <paramref name="rows"/> rows as UTF-8 CSV (no BOM, comma, CRLF, RFC 4180
    /// quoting), row by row with constant memory, and leaves <paramref name="output"/> open.
    /// </summary>
    public static void Write(Stream output, int rows, int seed)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, 50_000_000); // the SIREN permutation's range

        var rng = new Random(seed);
        var sirenOffset = rng.Next(50_000_000);
        var order = (Slot[])Plan.Clone();
        var fields = new string[ColumnNames.Length];
        var lastGoodSiret = string.Empty;
        using var csv = CsvWriter.Create(output, CsvWriterOptions.Default, leaveOpen: true);
        csv.WriteHeader(ColumnNames);
        for (var i = 0; i < rows; i++)
        {
            if (i % CycleLength == 0)
            {
                for (var k = order.Length - 1; k > 0; k--)
                {
                    var j = rng.Next(k + 1);
                    (order[k], order[j]) = (order[j], order[k]);
                }

                if (i == 0)
                {
                    // The duplicate-SIRET row needs a valid row before it: start with a good one.
                    var good = Array.FindIndex(order, s => (s.Traits & Traits.AnyBad) == 0);
                    (order[0], order[good]) = (order[good], order[0]);
                }
            }

            FillRow(fields, rng, i, order[i % CycleLength], sirenOffset, ref lastGoodSiret);
            foreach (var field in fields)
            {
                csv.WriteField(field);
            }

            csv.EndRecord();
        }
    }

    private static void FillRow(string[] f, Random rng, int index, Slot slot, int sirenOffset, ref string lastGoodSiret)
    {
        var t = slot.Traits;
        var sole = (t & Traits.Sole) != 0;
        var type = slot.Type;
        var institution = type is ActorType.Formation or ActorType.Laboratoire or ActorType.Plateforme or ActorType.CentreEssais;

        // Place: a commune weighted by population within a weighted département; the test track is in Alès.
        var departement = type == ActorType.CentreEssais ? "30"
            : (t & Traits.BadCommune) != 0 ? "31"
            : Pick(rng, slot.Member ? (sole ? SoleMemberDepartements : MemberDepartements) : ProspectDepartements);
        var commune = type == ActorType.CentreEssais ? Geography.Occitanie.Communes["30007"] : Places.Pick(rng, departement, town: institution);

        // SIREN from a permutation of the row index (unique, never 356000000), then a NIC making the SIRET Luhn-valid.
        var siren8 = 40_000_000 + ((31_415_927L * index) + sirenOffset) % 50_000_000;
        var siren = siren8.ToString(Inv) + LuhnDigit(siren8.ToString(Inv));
        var nic = "000" + (1 + rng.Next(3)).ToString(Inv);
        var siret = (t & Traits.BadLuhn) != 0 ? siren + nic + (char)('0' + ((LuhnDigit(siren + nic) - '0' + 1 + rng.Next(9)) % 10))
            : (t & Traits.BadDuplicate) != 0 ? lastGoodSiret : siren + nic + LuhnDigit(siren + nic);
        if ((t & Traits.AnyBad) == 0)
        {
            lastGoodSiret = siret;
        }

        var nafCode = type switch
        {
            ActorType.Formation => "85.42Z",
            ActorType.Laboratoire => "72.19Z",
            ActorType.Plateforme or ActorType.CentreEssais => "71.20B",
            ActorType.GrandGroupe or ActorType.Eti => Pick(rng, slot.Specialised ? SpecLarge : OtherLarge),
            ActorType.Pme => Pick(rng, slot.Specialised ? SpecPme : OtherPme),
            ActorType.StartUp => Pick(rng, slot.Specialised ? SpecStartUp : OtherStartUp),
            _ when sole => Pick(rng, slot.Specialised ? SoleSpec : SoleOther),
            _ => Pick(rng, slot.Specialised ? SpecSmall : OtherSmall),
        };
        var naf = Naf[nafCode];
        var categorie = sole ? "1000" : type switch
        {
            ActorType.Formation => "7384",
            ActorType.Laboratoire => "7383",
            ActorType.Plateforme or ActorType.CentreEssais => "9220",
            ActorType.GrandGroupe => rng.Next(2) == 0 ? "5599" : "5710",
            ActorType.Eti => rng.Next(3) == 0 ? "5599" : "5710",
            ActorType.Pme => rng.Next(5) < 3 ? "5710" : "5499",
            ActorType.Tpe => rng.Next(5) < 3 ? "5499" : "5710",
            _ => "5710",
        };

        // The contact (for a sole proprietor: the proprietor).
        var female = rng.Next(100) < 38;
        var first = Pick(rng, female ? FemaleNames : MaleNames);
        var last = Pick(rng, LastNames);
        var (name, slug) = sole
            ? (rng.Next(2) == 0 ? $"{first} {last}" : $"{last.ToUpperInvariant()} {first}", Slug(first + " " + last))
            : CompanyName(rng, type, naf.Noun, Pays[departement], commune.Name, categorie);

        var primary = institution ? rng.Next(FiliereSlugs.Length) : naf.Filiere;
        var filieres = SlugList(rng, primary, FiliereSlugs);
        var theme = type == ActorType.CentreEssais ? 7 : rng.Next(ThemeSlugs.Length);
        var themes = SlugList(rng, theme, ThemeSlugs);

        var (latitude, longitude) = (Jitter(rng, commune.Latitude, 900), Jitter(rng, commune.Longitude, 1300));
        var headcount = slot.Headcount < 20
            ? Math.Max(1, slot.Headcount + rng.Next(-1, 2))
            : slot.Headcount * (95 + rng.Next(11)) / 100;
        var spread = slot.Headcount >= 200 ? 3 : 10; // percent: keeps the members' total near €2 billion
        var revenue = (long)slot.Headcount * RevenuePerHead(type, sole) * (100 - spread + rng.Next((2 * spread) + 1)) / 100 / 1000 * 1000;
        var site = (t & Traits.PersonalSite) != 0 || (!sole && (institution || rng.Next(100) >= 15)) ? $"https://www.{slug}.example" : string.Empty;
        var email = $"{Slug(first)}.{Slug(last)}@{slug}.example";
        var phone = Phone(rng, sole || type is ActorType.Tpe or ActorType.StartUp ? rng.Next(5) < 3 : rng.Next(5) == 0);
        var from = new DateOnly(type == ActorType.StartUp ? 2016 : 2007, 1, 1);
        var joined = from.AddDays(rng.Next(new DateOnly(2026, 10, 31).DayNumber - from.DayNumber + 1));
        var updatedFrom = slot.Member && joined.Year >= 2025 ? joined : new DateOnly(2025, 1, 1);
        var updated = updatedFrom.AddDays(rng.Next(Today.DayNumber - updatedFrom.DayNumber + 1));
        var retail = (type is ActorType.Pme or ActorType.Tpe && naf.Filiere == 7) || nafCode == "71.20A";
        var founded = type == ActorType.StartUp ? 2016 + rng.Next(9) : 2010 + rng.Next(15);
        var description = string.Format(
            Inv, Pick(rng, DescriptionTemplates[sole ? 9 : retail ? 10 : (int)type]), naf.Activity, Of(naf.Activity), FiliereLabels[primary],
            ThemeLabels[theme], At(commune.Name), Of(commune.Name), founded, char.ToUpperInvariant(naf.Activity[0]) + naf.Activity[1..]);
        if ((t & Traits.EmailInText) != 0)
        {
            var other = Pick(rng, rng.Next(2) == 0 ? FemaleNames : MaleNames);
            description += $" Contact : {Slug(other)}.{Slug(Pick(rng, LastNames))}@{slug}.example";
        }
        else if ((t & (Traits.PhoneIntl | Traits.PhoneDots | Traits.PhoneDigits)) != 0)
        {
            var digits = Phone(rng, rng.Next(2) == 0).Replace(" ", string.Empty, StringComparison.Ordinal);
            description += (t & Traits.PhoneIntl) != 0 ? $" Tél. +33 {digits[1]} {digits[2..4]} {digits[4..6]} {digits[6..8]} {digits[8..]}"
                : (t & Traits.PhoneDots) != 0 ? $" Joignable au {digits[..2]}.{digits[2..4]}.{digits[4..6]}.{digits[6..8]}.{digits[8..]}"
                : $" Appeler le {digits}.";
        }

        f[0] = "CRM-" + (index + 1).ToString("D6", Inv);
        f[1] = (t & Traits.BadName) != 0 ? string.Empty : name;
        f[2] = siret;
        f[3] = categorie;
        f[4] = (t & Traits.Hidden) != 0 ? "P" : "O";
        f[5] = TypeSlugs[(int)type];
        f[6] = slot.Member ? "oui" : "non";
        f[7] = slot.Member ? joined.ToString("yyyy-MM-dd", Inv) : string.Empty;
        f[8] = (t & Traits.BadNaf) != 0 ? "29.99Z" : nafCode;
        f[9] = slot.Specialised ? "oui" : "non";
        f[10] = filieres;
        f[11] = themes;
        f[12] = (!sole && rng.Next(10) < 3 ? Pick(rng, Zones) + ", " : string.Empty)
            + $"{(1 + rng.Next(180)).ToString(Inv)} {Pick(rng, StreetTypes)} {Pick(rng, StreetNames)}";
        f[13] = commune.PostalCodes[0];
        f[14] = commune.Name;
        f[15] = (t & Traits.BadCommune) != 0 ? "31999" : commune.Code;
        f[16] = latitude;
        f[17] = longitude;
        f[18] = (t & Traits.NoHeadcount) != 0 ? string.Empty : headcount.ToString(Inv);
        f[19] = (t & Traits.NoRevenue) != 0 || type == ActorType.Laboratoire ? string.Empty : revenue.ToString(Inv);
        f[20] = site;
        f[21] = female ? "Mme" : "M.";
        f[22] = first;
        f[23] = last;
        f[24] = Function(rng, type, sole, female);
        f[25] = email;
        f[26] = phone;
        f[27] = description;
        f[28] = updated.ToString("yyyy-MM-dd", Inv);
    }

    private static (string Name, string Slug) CompanyName(Random rng, ActorType type, string noun, string[] pays, string commune, string categorie)
    {
        var (prefix, suffix, de) = (Pick(rng, NamePrefixes), Pick(rng, NameSuffixes), Pick(rng, pays));
        var invented = prefix[^1] == suffix[0] ? prefix + suffix[1..] : prefix + suffix;
        var bare = de[(de.StartsWith("de la ", StringComparison.Ordinal) ? 6 : de.StartsWith("de l'", StringComparison.Ordinal) ? 5 : de.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        var name = string.Format(Inv, Pick(rng, NameTemplates[(int)type]), invented, bare, de, pays[0], Of(commune), noun, Pick(rng, NameTails));
        var withForm = type >= ActorType.Formation || (type != ActorType.GrandGroupe && rng.Next(4) == 0) ? name
            : name + categorie switch { "5599" => " SA", "5499" => " SARL", _ => " SAS" };
        return (withForm, Slug(name));
    }

    /// <summary>"de Toulouse", "d'Albi", "du Fousseret", "des Cabannes", "d'entretien".</summary>
    private static string Of(string name) =>
        name.StartsWith("Le ", StringComparison.Ordinal) ? "du " + name[3..]
        : name.StartsWith("Les ", StringComparison.Ordinal) ? "des " + name[4..]
        : "AEIOUYÉÈÂÎÔaeiouyéèâîô".Contains(name[0], StringComparison.Ordinal) ? "d'" + name : "de " + name;

    /// <summary>"à Toulouse", "au Fousseret", "aux Cabannes".</summary>
    private static string At(string name) =>
        name.StartsWith("Le ", StringComparison.Ordinal) ? "au " + name[3..]
        : name.StartsWith("Les ", StringComparison.Ordinal) ? "aux " + name[4..] : "à " + name;

    private static string Function(Random rng, ActorType type, bool sole, bool female)
    {
        var pair = sole ? "Gérant/Gérante" : Pick(rng, type switch
        {
            ActorType.Formation => SchoolFunctions,
            ActorType.Laboratoire => LabFunctions,
            ActorType.Plateforme or ActorType.CentreEssais => PlatformFunctions,
            _ => CompanyFunctions,
        });
        return pair.Split('/')[female ? 1 : 0];
    }

    private static int RevenuePerHead(ActorType type, bool sole) => sole ? 80_000 : type switch
    {
        ActorType.GrandGroupe => 300_000, ActorType.Eti => 190_000, ActorType.Pme => 140_000, ActorType.Tpe => 90_000,
        ActorType.StartUp => 60_000, ActorType.Formation => 50_000, ActorType.Plateforme => 110_000, _ => 150_000,
    };

    private static string Phone(Random rng, bool mobile) =>
        (mobile ? "06 39 98 " : "05 36 49 ") + rng.Next(100).ToString("D2", Inv) + " " + rng.Next(100).ToString("D2", Inv);

    /// <summary>A coordinate moved by up to <paramref name="units"/> hundred-thousandths of a degree, in integers
    /// (900 of latitude ≈ 1.0 km, 1300 of longitude ≈ 1.05 km here: at most ≈1.46 km), with 5 decimals.</summary>
    private static string Jitter(Random rng, double degrees, int units) =>
        (((long)Math.Round(degrees * 100_000) + rng.Next(-units, units + 1)) / 100_000m).ToString("F5", Inv);

    private static char LuhnDigit(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = (digits[digits.Length - 1 - i] - '0') * (i % 2 == 0 ? 2 : 1);
            sum += d > 9 ? d - 9 : d;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>The slug <paramref name="first"/> and up to two more, distinct, in list order, joined by '|'.</summary>
    private static string SlugList(Random rng, int first, string[] slugs)
    {
        var mask = 1 << first;
        for (var n = rng.Next(3); n > 0; n--)
        {
            mask |= 1 << rng.Next(slugs.Length);
        }

        return string.Join('|', slugs.Where((_, i) => (mask & (1 << i)) != 0));
    }

    /// <summary>Lower-case ASCII, accents removed, anything else between words as one hyphen.</summary>
    private static string Slug(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            var c = ch switch
            {
                'à' or 'â' or 'ä' or 'À' or 'Â' => 'a', 'é' or 'è' or 'ê' or 'ë' or 'É' or 'È' or 'Ê' => 'e',
                'î' or 'ï' or 'Î' => 'i', 'ô' or 'ö' or 'Ô' => 'o', 'ù' or 'û' or 'ü' => 'u', 'ç' or 'Ç' => 'c', 'ÿ' => 'y',
                >= 'A' and <= 'Z' => (char)(ch + 32), (>= 'a' and <= 'z') or (>= '0' and <= '9') => ch, _ => '-',
            };
            if (c != '-' || (sb.Length > 0 && sb[^1] != '-'))
            {
                sb.Append(c);
            }
        }

        return sb.ToString().TrimEnd('-');
    }

    private static string[] Split(string list) => list.Split('|');

    private static T Pick<T>(Random rng, T[] items) => items[rng.Next(items.Length)];

    private static string Pick(Random rng, (string Code, int Weight)[] weighted)
    {
        var r = rng.Next(weighted.Sum(w => w.Weight));
        foreach (var (code, weight) in weighted)
        {
            if ((r -= weight) < 0)
            {
                return code;
            }
        }

        throw new InvalidOperationException("Unreachable: weights are positive.");
    }

    /// <summary>The 250-slot plan. Headcounts rise from min to max along a power curve (many small, a few large).</summary>
    private static Slot[] BuildPlan()
    {
        var plan = new List<Slot>(CycleLength);
        void Group(bool member, ActorType type, int count, int specialised, int min, int max, int power, int sole = 0, int hidden = 0)
        {
            for (var k = 0; k < count; k++)
            {
                long num = 1, den = 1;
                for (var e = 0; e < power; e++)
                {
                    num *= k;
                    den *= Math.Max(1, count - 1);
                }

                var traits = (k < sole ? Traits.Sole : Traits.None) | (k < hidden ? Traits.Hidden : Traits.None);
                var spec = (k + 1) * specialised / count > k * specialised / count;
                plan.Add(new Slot(member, type, spec, (int)(min + ((max - min) * num / den)), traits));
            }
        }

        void Mark(bool member, ActorType type, Traits traits, params int[] ks)
        {
            for (int i = 0, k = 0; i < plan.Count; i++)
            {
                if (plan[i].Member == member && plan[i].Type == type && ks.Contains(k++))
                {
                    plan[i] = plan[i] with { Traits = plan[i].Traits | traits };
                }
            }
        }

        Group(true, ActorType.GrandGroupe, 3, 2, 700, 1200, 2);
        Group(true, ActorType.Eti, 12, 7, 160, 480, 2);
        Group(true, ActorType.Pme, 80, 38, 10, 160, 3);
        Group(true, ActorType.Tpe, 54, 22, 1, 9, 2, sole: 9, hidden: 2);
        Group(true, ActorType.StartUp, 25, 11, 2, 40, 2);
        Group(true, ActorType.Formation, 6, 0, 15, 70, 1);
        Group(true, ActorType.Laboratoire, 6, 0, 12, 80, 1);
        Group(true, ActorType.Plateforme, 4, 0, 5, 30, 1);
        Group(false, ActorType.GrandGroupe, 1, 1, 420, 420, 1);
        Group(false, ActorType.Eti, 4, 2, 150, 350, 2);
        Group(false, ActorType.Pme, 22, 10, 8, 120, 3);
        Group(false, ActorType.Tpe, 14, 6, 1, 8, 2, sole: 3, hidden: 1);
        Group(false, ActorType.StartUp, 5, 1, 2, 25, 2);
        Group(false, ActorType.Formation, 5, 0, 20, 90, 1);
        Group(false, ActorType.Laboratoire, 5, 0, 10, 60, 1);
        Group(false, ActorType.Plateforme, 3, 0, 5, 25, 1);
        Group(false, ActorType.CentreEssais, 1, 0, 35, 35, 1);
        Mark(true, ActorType.Pme, Traits.BadLuhn, 7);
        Mark(true, ActorType.Pme, Traits.BadCommune, 22);
        Mark(true, ActorType.Pme, Traits.BadName, 37);
        Mark(true, ActorType.Pme, Traits.BadDuplicate, 52);
        Mark(true, ActorType.Pme, Traits.BadNaf, 67);
        Mark(true, ActorType.Pme, Traits.EmailInText, 3, 33, 63);
        Mark(true, ActorType.Tpe, Traits.PhoneIntl, 15);
        Mark(true, ActorType.Tpe, Traits.PhoneDots, 30);
        Mark(false, ActorType.Tpe, Traits.PhoneDigits, 7);
        Mark(true, ActorType.Tpe, Traits.PersonalSite, 2, 5, 8);
        Mark(false, ActorType.Tpe, Traits.PersonalSite, 1);
        Mark(true, ActorType.StartUp, Traits.NoHeadcount, 0, 12);
        Mark(true, ActorType.Tpe, Traits.NoHeadcount, 20, 40);
        Mark(false, ActorType.Pme, Traits.NoHeadcount, 2, 12);
        Mark(false, ActorType.Tpe, Traits.NoHeadcount, 10);
        Mark(false, ActorType.StartUp, Traits.NoHeadcount, 1);
        Mark(false, ActorType.Pme, Traits.NoRevenue, 5);
        Mark(true, ActorType.StartUp, Traits.NoRevenue, 3);
        return [.. plan];
    }

    private readonly record struct Slot(bool Member, ActorType Type, bool Specialised, int Headcount, Traits Traits);

    /// <summary>Communes of each département (ordered by code), with cumulative populations to draw from;
    /// schools, labs and platforms are drawn from towns of 8,000 inhabitants or more.</summary>
    private static class Places
    {
        private static readonly Dictionary<string, (Commune[] Communes, int[] Cumulative)> All = Index(0);
        private static readonly Dictionary<string, (Commune[] Communes, int[] Cumulative)> Towns = Index(8_000);

        public static Commune Pick(Random rng, string departement, bool town)
        {
            var (communes, cumulative) = (town ? Towns : All)[departement];
            var i = Array.BinarySearch(cumulative, rng.Next(cumulative[^1]));
            return communes[i >= 0 ? i + 1 : ~i];
        }

        private static Dictionary<string, (Commune[] Communes, int[] Cumulative)> Index(int minPopulation) =>
            Geography.Occitanie.Communes.Values
                .Where(c => c.Population > minPopulation)
                .OrderBy(c => c.Code, StringComparer.Ordinal)
                .GroupBy(c => c.DepartementCode, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g =>
                {
                    var communes = g.ToArray();
                    var cumulative = new int[communes.Length]; // a département's population fits an int
                    for (int i = 0, sum = 0; i < communes.Length; i++)
                    {
                        cumulative[i] = sum += communes[i].Population;
                    }

                    return (communes, cumulative);
                }, StringComparer.Ordinal);
    }
}

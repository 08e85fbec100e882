using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Automotech.OpenData.Anonymisation;

/// <summary>
/// The third pattern-like form of a name in a CRM note: a name after a role or a contact cue
/// ("Contact : Ermeline Vautrain", "gérante Mme…" is the civility rule's), without a civility.
/// </summary>
public static partial class TextScrubber
{
    // The cues, written in lower case with their accents: the rule reads them in any case, each
    // accented letter with or without its accent. Nouns of a role (each form: feminine, plural).
    private static readonly string[] RoleNouns =
    [
        "contact", "contacts", "interlocuteur", "interlocutrice", "interlocuteurs", "interlocutrices",
        "référent", "référente", "référents", "référentes", "correspondant", "correspondante", "correspondants", "correspondantes",
        "gérant", "gérante", "gérants", "gérantes", "cogérant", "cogérante", "cogérants", "cogérantes",
        "dirigeant", "dirigeante", "dirigeants", "dirigeantes", "fondateur", "fondatrice", "fondateurs", "fondatrices",
        "cofondateur", "cofondatrice", "cofondateurs", "cofondatrices", "président", "présidente", "présidents", "présidentes",
        "pdg", "dg", "ceo", "cto", "directeur", "directrice", "directeurs", "directrices", "responsable", "responsables",
        "chargé", "chargée", "chargés", "chargées", "associé", "associée", "associés", "associées",
    ];

    // Verbs after which a CRM note names whom to ask.
    private static readonly string[] ContactVerbs = ["demander", "appeler", "joindre"];

    // Cues of two words: the first word, then the second ("voir avec", "s'adresser à", "fondée par"…).
    private static readonly (string[] First, string Second)[] TwoWordCues =
    [
        (["voir"], "avec"),
        (["adresser"], "à"),
        (["fondé", "fondée", "fondés", "fondées", "dirigé", "dirigée", "dirigés", "dirigées", "repris", "reprise", "reprises", "créé", "créée", "créés", "créées"], "par"),
    ];

    // Words of a role or a service that may come between a cue and a name ("Directeur Général :",
    // "Responsable Qualité", "Contact : Service achats,", "Président du Directoire"), in any case:
    // the rule reads them as part of the role, and a cue followed by them and no name masks nothing.
    // The nouns of a role are such words too ("Gérant Associé", "Président Directeur Général").
    private static readonly string[] RoleWords =
    [
        "général", "générale", "généraux", "adjoint", "adjointe", "adjoints", "délégué", "déléguée", "délégués", "exécutif", "exécutive",
        "technique", "techniques", "commercial", "commerciale", "commerciaux", "industriel", "industrielle", "financier", "financière",
        "administratif", "administrative", "administration", "opérationnel", "opérationnelle", "opérations", "régional", "régionale",
        "national", "nationale", "qualité", "achats", "achat", "production", "usine", "site", "sites", "atelier", "ateliers",
        "exploitation", "maintenance", "logistique", "méthodes", "rh", "drh", "daf", "dsi", "ressources", "humaines", "r&d", "recherche",
        "développement", "innovation", "export", "ventes", "vente", "après", "marketing", "communication", "qhse", "hse", "qse", "sécurité",
        "environnement", "projet", "projets", "programme", "programmes", "affaires", "mission", "missions", "clientèle", "clients", "client",
        "comptes", "grands", "sav", "service", "services", "pôle", "département", "direction", "directoire", "conseil", "surveillance",
        "agence", "filiale", "bureau", "études", "informatique", "digital", "numérique", "stratégie", "partenariats", "accueil", "standard",
        "secrétariat", "comptabilité", "facturation", "presse", "formation", "formations", "valorisation", "laboratoire", "travaux",
        "ingénierie", "essais", "france", "europe", "monde", "zone", "secteur", "groupe", "entreprise", "société", "réseau", "magasin",
        "concession", "garage", "relations", "publiques", "partenaires", "transfert", "technologie",
    ];

    // The words that link a role's words ("Directeur de la Production", "Responsable d'usine"), in any case.
    private const string RoleLink = "(?:(?i:de|du|des|la|le|les|en|et|aux|au)" + Blank + "+|(?i:d|l)['’])";

    // After a cue (and its words of a role), one to three more words of any kind, each after blanks
    // and up to two links (RoleLink), then a colon with blanks around: the words of a role the list
    // does not hold ("Responsable Veille Technologique :", "Chargée de Veille Concurrentielle :").
    // A colon there is the strongest sign a name follows: the name after it is masked. The words
    // before it stay ("Responsable veille : [nom masqué]"), unless the rule without the colon takes
    // them for a name, when they go as before (MaskRoleNames): "Responsable Veille : Ysaline
    // Castanhoul", published "Responsable [nom masqué] : Ysaline Castanhoul" until then, is now
    // "Responsable [nom masqué] : [nom masqué]".
    // Not when a word of a role follows the colon ("Contact Veille : Service achats"): the rule
    // then reads the text as it did without this. Tried before the plain separator, so that the
    // name after the colon is reached. CueBeforeWords is its guard.
    private const string ColonWord = @"\p{L}[\p{L}'’-]*";
    private const int ColonWordsMax = 3;
    private const int ColonLinksMax = 2;
    private static readonly string WordsThenColon =
        "(?:" + Blank + "+" + RoleLink + "{0," + ColonLinksMax + "}" + ColonWord + "){1," + ColonWordsMax + "}" + Blank + "*:" + Blank + "*"
        + "(?!(?i:" + Alternation(RoleWords.Concat(RoleNouns)) + @")(?![\p{L}\p{N}_]))";

    // What comes between a cue and a name: a colon, a dash or a comma with blanks around, or blanks.
    private const string CueSeparator = "(?:" + Blank + "*[:,\\-–—]" + Blank + "*|" + Blank + "+)";

    // A civility is not a name here: the civility rule masks what follows it ("Contact : Mme [nom masqué]").
    // Those of the civility rule, as it writes them, and their plurals; not MR, ME, PROF and MGR in
    // capitals, whose name needs three letters (and ME not after a word in capitals), nor "Mes"
    // without its dot, whose name needs another after it, outside a sentence's start: after a
    // cue, the name after them is this rule's when the civility rule leaves it ("CONTACT ME
    // MARTIN", "Contact : Mes Ravanel").
    private const string NotACivility = @"(?!(?:M\.|MM\.?|Mmes?|MMES?|Mlles?|MLLES?|Melles?|MELLES?|Monsieur|MONSIEUR|Messieurs|MESSIEURS|Madame|MADAME|Mesdames|MESDAMES|Mademoiselle|MADEMOISELLE|Mesdemoiselles|MESDEMOISELLES|Mrs?|Dr|Pr|Me|Docteure?|DOCTEURE?|Professeure?|PROFESSEURE?|Ma[îi]tre|MA[ÎI]TRE|Dre|Prof|Mgr|Monseigneur|MONSEIGNEUR|Vve|VVE|Veuve|VEUVE|Mtre|Drs|Prs|Mes\.)(?![\p{L}\p{N}_'’-]))";

    /// <summary>
    /// A name after a role or a contact cue: the cue (<see cref="RoleNouns"/>, <see cref="ContactVerbs"/>,
    /// <see cref="TwoWordCues"/>, in any case, accents optional, not after a letter, digit or '_'),
    /// then as many words of a role as follow it (<see cref="RoleWords"/>, each after a blank, a
    /// colon, a dash, a comma, '&amp;' or '/', with the links of <see cref="RoleLink"/>; taken
    /// whole, never given back to the name), a separator (<see cref="CueSeparator"/>) or, tried
    /// first, one to three more words and a colon (<see cref="WordsThenColon"/>), then a name
    /// as the civility rule reads it, but for its first word: a capitalised or upper-case word or an
    /// initial (after "d'" only), never a civility (<see cref="NotACivility"/>) nor a lower-case
    /// word ("Contact avec le garage", "Directeur de site"); then up to four more names, each
    /// after a comma, '/', '&amp;', "et" or "ou", that are neither a civility nor a word of a role
    /// ("Contacts : Vautrain et Quérinel", not "Contact : Vautrain, Directrice"). Group 1, the cue
    /// and what follows it up to the name, and the words between the names ("and") stay.
    /// Interpreted, as the civility and date-of-birth rules are (it runs only where
    /// <see cref="MayHoldRoleName"/> lets it); RE2 has neither its atomic group nor its look-aheads,
    /// so the benchmark's DuckDB job does not do it.
    /// </summary>
    private static Regex RoleName => roleName ??= new(RoleNamePattern(wordsThenColon: true), RegexOptions.CultureInvariant);

    // One instance per thread, as for the other interpreted rules: see BirthDate for why.
    [ThreadStatic]
    private static Regex? roleName;

    /// <summary>
    /// <see cref="RoleName"/> without <see cref="WordsThenColon"/>, anchored where it is asked to
    /// match: how the rule reads the words before a colon. Built the first time a colon's words are
    /// met (a few texts in a thousand, if any), once per thread.
    /// </summary>
    private static Regex RoleNameWithoutColon => roleNameWithoutColon ??= new(@"\G" + RoleNamePattern(wordsThenColon: false), RegexOptions.CultureInvariant);

    [ThreadStatic]
    private static Regex? roleNameWithoutColon;

    private static string RoleNamePattern(bool wordsThenColon) =>
        @"(?<![\p{L}\p{N}_])((?i:" + CueAlternation() + ")"
        + "(?>(?:(?:" + CueSeparator + "|" + Blank + "*[&/]" + Blank + "*)" + RoleLink + "*(?i:" + Alternation(RoleWords.Concat(RoleNouns)) + @")(?![\p{L}\p{N}_]))*)"
        + (wordsThenColon ? "(?:(?<colon>" + WordsThenColon + ")|" + CueSeparator + "))" : CueSeparator + ")")
        + NotACivility + "(?:d['’])?" + NameWord + MoreNameWords
        + "(?:(?<and>" + Blank + "*[,/&]" + Blank + "*|" + Blank + "+(?:et|ou)" + Blank + "+)" + NotACivility
        + "(?!(?i:" + Alternation(RoleWords.Concat(RoleNouns)) + @")(?![\p{L}\p{N}_]))(?:d['’])?" + NameWord + MoreNameWords + "){0,4}";

    /// <summary>
    /// The cue and what follows it up to the name stay; each name of the list becomes a marker, the
    /// words between them stay. Before a colon, the words are read as the rule reads them without
    /// it: a name it would take there is masked too ("Gérante Ysaline Castanhoul : Accord" →
    /// "Gérante [nom masqué] : [nom masqué]"), so that the colon's reading never publishes a name
    /// the rule masked before it; so do words of a role the list does not hold, when capitalised
    /// ("Responsable [nom masqué] : [nom masqué]").
    /// </summary>
    private static string MaskRoleNames(Match match)
    {
        var colon = match.Groups["colon"];
        var masked = new StringBuilder();
        if (colon.Success)
        {
            var text = match.Value;
            var words = RoleNameWithoutColon.Match(text);
            var kept = colon.Index + colon.Length - match.Index;
            masked.Append(words.Success && words.Length <= kept ? MaskRoleNames(words) + text[words.Length..kept] : text[..kept]);
        }
        else
        {
            masked.Append(match.Groups[1].ValueSpan);
        }

        masked.Append(NameMarker);
        foreach (Capture and in match.Groups["and"].Captures)
        {
            masked.Append(and.ValueSpan).Append(NameMarker);
        }

        return masked.ToString();
    }

    private static string CueAlternation() =>
        Alternation(RoleNouns) + "|" + Alternation(ContactVerbs)
        + string.Concat(TwoWordCues.Select(c => "|" + (c.Second == "à" ? "s['’]" : string.Empty) + "(?:" + Alternation(c.First) + ")" + Blank + "+" + AnyAccent(c.Second)));

    /// <summary>The words as a regex alternation, longest first, each accented letter also without its accent.</summary>
    private static string Alternation(IEnumerable<string> words) =>
        string.Join("|", words.Distinct(StringComparer.Ordinal).OrderByDescending(w => w.Length).ThenBy(w => w, StringComparer.Ordinal).Select(AnyAccent));

    private static string AnyAccent(string word)
    {
        var pattern = new StringBuilder();
        foreach (var c in word)
        {
            var bare = WithoutAccent(c);
            pattern.Append(bare != c ? $"[{c}{bare}]" : Regex.Escape(c.ToString()));
        }

        return pattern.ToString();
    }

    /// <summary>A French accented letter without its accent (é → e, À → A), any other character as it is.</summary>
    private static char WithoutAccent(char c) => c switch
    {
        'é' or 'è' or 'ê' or 'ë' => 'e',
        'É' or 'È' or 'Ê' or 'Ë' => 'E',
        'à' or 'â' or 'ä' => 'a',
        'À' or 'Â' or 'Ä' => 'A',
        'î' or 'ï' => 'i',
        'Î' or 'Ï' => 'I',
        'ô' or 'ö' => 'o',
        'Ô' or 'Ö' => 'O',
        'ù' or 'û' or 'ü' => 'u',
        'Ù' or 'Û' or 'Ü' => 'U',
        'ç' => 'c',
        'Ç' => 'C',
        _ => c,
    };

    // The guard's words, without their accents, in any case: every word a name may follow in
    // RoleName (the last word of a cue, or a word of a role), and the two-word cues by their second word.
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> CueLastWords =
        new HashSet<string>(RoleNouns.Concat(ContactVerbs).Concat(RoleWords).Select(Bare), StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly (HashSet<string>.AlternateLookup<ReadOnlySpan<char>> First, string Second)[] TwoWordCueWords =
        [.. TwoWordCues.Select(c => (new HashSet<string>(c.First.Select(Bare), StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>(), Bare(c.Second)))];

    private static string Bare(string word) => string.Concat(word.Select(WithoutAccent));

    /// <summary>The characters <see cref="CueSeparator"/> is made of.</summary>
    private static readonly SearchValues<char> CueSeparatorChars = SearchValues.Create(BlankChars + ":,-–—");

    /// <summary>
    /// Whether <see cref="RoleName"/> may match: somewhere a name's start (a capital, or "d'" and a
    /// capital) after separators whose word before is the last word of a cue or a word of a role
    /// (read without accents, in any case; for a cue of two words, both). A cheap necessary
    /// condition, as the other guards: the capitals are found by vectorised searches (ASCII ones,
    /// then the other ranges that hold capitals), only those after a separator have the word
    /// before them looked up, and the rule runs on the few texts where one is a cue's.
    /// </summary>
    private static bool MayHoldRoleName(ReadOnlySpan<char> text)
    {
        for (var at = text.IndexOfAnyInRange('A', 'Z'); at >= 0;)
        {
            if (FollowsCue(text, at))
            {
                return true;
            }

            var next = text[(at + 1)..].IndexOfAnyInRange('A', 'Z');
            at = next < 0 ? -1 : at + 1 + next;
        }

        // The other capitals: Latin-1's (À…Þ), then those past U+00FF, where upper and lower case
        // mix (Œ, œ); the lower-case letters of French (é, è, à…) lie between and are not visited.
        return AnyCapitalFollowsCue(text, '\u00C0', '\u00DE') || AnyCapitalFollowsCue(text, '\u0100', '\uFFFF');
    }

    private static bool AnyCapitalFollowsCue(ReadOnlySpan<char> text, char low, char high)
    {
        for (var at = text.IndexOfAnyInRange(low, high); at >= 0;)
        {
            if (char.IsUpper(text[at]) && FollowsCue(text, at))
            {
                return true;
            }

            var next = text[(at + 1)..].IndexOfAnyInRange(low, high);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return false;
    }

    /// <summary>Whether the capital at <paramref name="capital"/> (or the "d'" before it) follows separators that follow a cue's word.</summary>
    private static bool FollowsCue(ReadOnlySpan<char> text, int capital)
    {
        var name = capital >= 2 && text[capital - 1] is '\'' or '’' && text[capital - 2] == 'd' ? capital - 2 : capital;
        if (name == 0 || !CueSeparatorChars.Contains(text[name - 1]))
        {
            return false;
        }

        var before = text[..name];
        var words = before[..(before.LastIndexOfAnyExcept(CueSeparatorChars) + 1)];
        return EndsWithCueWord(words) || (before[words.Length..].Contains(':') && CueBeforeWords(words));
    }

    /// <summary>
    /// Whether a cue's word or a word of a role ends the text before one of its last blank runs,
    /// as many as <see cref="WordsThenColon"/> may hold (a blank run before each word and after each
    /// link): the words before a colon may be those of a role the list does not hold.
    /// </summary>
    private static bool CueBeforeWords(ReadOnlySpan<char> words)
    {
        var rest = words;
        for (var run = 0; run < ColonWordsMax * (1 + ColonLinksMax); run++)
        {
            var blank = rest.LastIndexOfAny(Blanks);
            if (blank < 0)
            {
                return false;
            }

            rest = rest[..blank].TrimEnd(BlankChars);
            if (EndsWithCueWord(rest))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsWithCueWord(ReadOnlySpan<char> before)
    {
        var word = LastWord(before);
        if (word.IsEmpty)
        {
            return false;
        }

        // "l'associé", "d'usine": the word after the apostrophe; "R&D" whole, "Qualité&HSE" its last part.
        var afterApostrophe = word[(word.LastIndexOfAny('\'', '’') + 1)..];
        var afterAmpersand = afterApostrophe[(afterApostrophe.LastIndexOf('&') + 1)..];
        if (IsCueWord(afterApostrophe) || IsCueWord(afterAmpersand))
        {
            return true;
        }

        // A cue of two words: its first word before blanks ("voir avec", "s'adresser à", "fondée par").
        Span<char> bare = stackalloc char[8];
        if (afterAmpersand.Length > bare.Length)
        {
            return false;
        }

        for (var i = 0; i < afterAmpersand.Length; i++)
        {
            bare[i] = WithoutAccent(afterAmpersand[i]);
        }

        foreach (var (first, second) in TwoWordCueWords)
        {
            if (bare[..afterAmpersand.Length].Equals(second, StringComparison.OrdinalIgnoreCase))
            {
                var previous = before[..^word.Length];
                var trimmed = previous.TrimEnd(BlankChars);
                if (trimmed.Length == previous.Length)
                {
                    return false;
                }

                // "s'adresser", "&Fondé": the cue starts after any character but a letter, a digit or '_'.
                var firstWord = LastWord(trimmed);
                return IsIn(first, firstWord[(firstWord.LastIndexOfAny(WordJoints) + 1)..]);
            }
        }

        return false;

        static bool IsCueWord(ReadOnlySpan<char> word) => IsIn(CueLastWords, word);
    }

    private static readonly SearchValues<char> WordJoints = SearchValues.Create("'’&");

    /// <summary>The letters, apostrophes and '&amp;' that end the text.</summary>
    private static ReadOnlySpan<char> LastWord(ReadOnlySpan<char> text)
    {
        var start = text.Length;
        while (start > 0 && (char.IsLetter(text[start - 1]) || text[start - 1] is '\'' or '’' or '&'))
        {
            start--;
        }

        return text[start..];
    }

    /// <summary>Whether the word, without its accents, is in the set (in any case).</summary>
    private static bool IsIn(HashSet<string>.AlternateLookup<ReadOnlySpan<char>> set, ReadOnlySpan<char> word)
    {
        Span<char> bare = stackalloc char[24];
        if (word.IsEmpty || word.Length > bare.Length)
        {
            return false;
        }

        for (var i = 0; i < word.Length; i++)
        {
            bare[i] = WithoutAccent(word[i]);
        }

        return set.Contains(bare[..word.Length]);
    }
}

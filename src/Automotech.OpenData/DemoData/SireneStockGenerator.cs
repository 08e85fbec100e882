using System.Globalization;
using System.Text;
using Automotech.OpenData.Reference;
using Automotech.OpenData.Sources;

namespace Automotech.OpenData.DemoData;

/// <summary>
/// Writes a FICTIONAL file shaped like INSEE's Sirene StockEtablissement: INSEE's header
/// (<see cref="SireneStock.Columns"/>), comma-delimited UTF-8, one establishment per row, for tests
/// and benchmarks. Real: commune codes and postcodes (Occitanie's from the embedded geography,
/// weighted by population; a few large communes elsewhere), NAF rev. 2 codes, headcount band
/// codes, date formats, SIRET checksums. Invented: every SIREN, street and sign (no real company,
/// no person). About 10 % of rows are closed (<c>F</c>) and 2 % restricted (<c>P</c>, with
/// INSEE's <c>[ND]</c> in their address). Streaming (constant memory) and deterministic: the same
/// (rows, seed, share) gives the same bytes.
/// </summary>
public static class SireneStockGenerator
{
    /// <summary>SIRENs come from a permutation of [10,000,000, 99,999,999]: that many rows at most.</summary>
    public const long MaxRows = 89_999_999;

    private const int SirenRange = 90_000_000;
    private const long SirenMultiplier = 7_919_993; // coprime with 90,000,000: a permutation
    private const int LaPosteSiren8 = 35_600_000;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // Large communes outside Occitanie (INSEE code, postcode, name, weight): real codes, so a
    // region filter has real non-matches to skip, including Paris/Lyon/Marseille arrondissements and Corsica.
    private static readonly (string Code, string Postcode, string Name, int Weight)[] Elsewhere =
    [
        ("75108", "75008", "PARIS 8", 12), ("69383", "69003", "LYON 3EME", 6), ("13201", "13001", "MARSEILLE 1ER", 6),
        ("33063", "33000", "BORDEAUX", 5), ("44109", "44000", "NANTES", 5), ("67482", "67000", "STRASBOURG", 4),
        ("59350", "59000", "LILLE", 4), ("06088", "06000", "NICE", 4), ("35238", "35000", "RENNES", 3),
        ("21231", "21000", "DIJON", 2), ("63113", "63000", "CLERMONT-FERRAND", 2), ("37261", "37000", "TOURS", 2),
        ("25056", "25000", "BESANCON", 2), ("2A004", "20000", "AJACCIO", 1), ("97411", "97400", "SAINT-DENIS", 2),
        ("64445", "64000", "PAU", 2), ("87085", "87000", "LIMOGES", 2), ("49007", "49000", "ANGERS", 2),
        ("76540", "76000", "ROUEN", 2), ("51454", "51100", "REIMS", 2),
    ];

    // INSEE's headcount bands, weighted (per 10,000) roughly as in the stock: most establishments have none.
    private static readonly (string Code, int Weight)[] Bands =
    [
        ("NN", 5500), ("00", 1000), ("01", 1200), ("02", 800), ("03", 500), ("11", 400), ("12", 300), ("21", 150),
        ("22", 80), ("31", 40), ("32", 15), ("41", 8), ("42", 4), ("51", 2), ("52", 1), ("53", 1),
    ];

    // The automotive sub-classes, weighted: garages are many, car makers few. 3 % of rows draw here.
    private static readonly (string Code, int Weight)[] Automotive =
    [
        ("45.20A", 40), ("45.11Z", 15), ("45.32Z", 10), ("45.31Z", 8), ("45.20B", 6), ("45.19Z", 5), ("45.40Z", 5),
        ("29.32Z", 4), ("29.20Z", 3), ("29.10Z", 2), ("29.31Z", 2),
    ];

    private static readonly int[] ElsewhereWeights = [.. Elsewhere.Select(e => e.Weight)];
    private static readonly int[] BandWeights = [.. Bands.Select(b => b.Weight)];
    private static readonly int[] AutomotiveWeights = [.. Automotive.Select(a => a.Weight)];

    private static readonly string[] StreetTypes = ["RUE", "AV", "CHE", "BD", "IMP", "ALL", "RTE", "PL"];
    private static readonly string[] StreetNames =
    [
        "DES ATELIERS", "DE L'INDUSTRIE", "DES FORGES", "DU MOULIN", "DES ARTISANS", "DE LA GARE", "DES TILLEULS",
        "DES ENTREPRENEURS", "DES MIMOSAS", "DE LA MECANIQUE", "DU CANAL", "DES VIGNES", "DES PLATANES", "DE LA TUILERIE",
    ];

    private static readonly string[] SignPrefixes = ["MECA", "AXO", "VOLT", "DYNA", "HYDRO", "LUMI", "VECTO", "NEO", "CARBO", "TEKNO", "KINE", "OCCI"];
    private static readonly string[] SignSuffixes = ["TRONIC", "LYS", "MOB", "DYN", "VEL", "RIA", "TIS", "NOV", "DRIVE", "CAP"];

    /// <summary>
    /// Writes the header and <paramref name="rows"/> rows, row by row, and leaves <paramref name="output"/> open.
    /// <paramref name="occitanieShare"/> of the rows (0 to 1) are in Occitanie.
    /// </summary>
    public static void Write(Stream output, long rows, int seed, double occitanieShare = 0.09)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, MaxRows);
        ArgumentOutOfRangeException.ThrowIfNegative(occitanieShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(occitanieShare, 1);

        var rng = new Random(seed);
        var offset = rng.Next(SirenRange);
        var occitanie = Geography.Occitanie.Communes.Values.OrderBy(c => c.Code, StringComparer.Ordinal).ToArray();
        var cumulative = new long[occitanie.Length];
        for (long i = 0, sum = 0; i < occitanie.Length; i++)
        {
            cumulative[i] = sum += occitanie[i].Population;
        }

        var names = occitanie.Select(c => UpperNoAccents(c.Name)).ToArray();
        var allNaf = NafNomenclature.Rev2.Labels.Keys.Order(StringComparer.Ordinal).ToArray();
        var occitanieThreshold = (int)Math.Round(occitanieShare * 1_000_000);
        var cells = new string[SireneStock.Columns.Count];
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(string.Join(',', SireneStock.Columns));
        for (long index = 0; index < rows; index++)
        {
            Array.Fill(cells, "");
            var siren8 = (int)(((index * SirenMultiplier) + offset) % SirenRange);
            if (siren8 + 10_000_000 == LaPosteSiren8)
            {
                // La Poste's SIREN follows another checksum rule: take the value no row of this file uses.
                siren8 = (int)((((MaxRows) * SirenMultiplier) + offset) % SirenRange);
            }

            var siren = Luhn((siren8 + 10_000_000).ToString(Inv));
            var nic = Luhn(siren + (1 + rng.Next(999)).ToString("D4", Inv))[9..];
            var restricted = rng.Next(100) < 2;
            var closed = rng.Next(100) < 10;
            var band = Bands[PickIndex(rng, BandWeights)].Code;
            var created = new DateOnly(1975, 1, 1).AddDays(rng.Next(18_250));
            var started = created.AddDays(rng.Next(Math.Max(1, new DateOnly(2026, 1, 1).DayNumber - created.DayNumber)));

            cells[0] = siren;
            cells[1] = nic;
            cells[2] = siren + nic;
            cells[3] = restricted ? "P" : "O";
            cells[4] = Date(created);
            cells[5] = band;
            cells[6] = band == "NN" ? "" : (2021 + rng.Next(3)).ToString(Inv);
            cells[8] = $"2025-{1 + rng.Next(12):D2}-{1 + rng.Next(28):D2}T{rng.Next(24):D2}:{rng.Next(60):D2}:{rng.Next(60):D2}";
            cells[9] = rng.Next(100) < 70 ? "true" : "false";
            cells[10] = (1 + rng.Next(5)).ToString(Inv);
            cells[12] = (1 + rng.Next(180)).ToString(Inv);
            cells[16] = StreetTypes[rng.Next(StreetTypes.Length)];
            cells[17] = StreetNames[rng.Next(StreetNames.Length)];
            if (rng.Next(1_000_000) < occitanieThreshold)
            {
                var i = Array.BinarySearch(cumulative, rng.NextInt64(cumulative[^1]));
                var commune = occitanie[i >= 0 ? i + 1 : ~i];
                cells[18] = commune.PostalCodes[rng.Next(commune.PostalCodes.Count)];
                cells[19] = names[i >= 0 ? i + 1 : ~i];
                cells[22] = commune.Code;
            }
            else
            {
                var (code, postcode, name, _) = Elsewhere[PickIndex(rng, ElsewhereWeights)];
                cells[18] = postcode;
                cells[19] = name;
                cells[22] = code;
            }

            cells[44] = Date(started);
            cells[45] = closed ? "F" : "A";
            if (rng.Next(100) < 15)
            {
                cells[46] = SignPrefixes[rng.Next(SignPrefixes.Length)] + SignSuffixes[rng.Next(SignSuffixes.Length)];
            }

            cells[50] = rng.Next(100) < 3 ? Automotive[PickIndex(rng, AutomotiveWeights)].Code : allNaf[rng.Next(allNaf.Length)];
            cells[51] = "NAFRev2";
            cells[52] = band is "NN" or "00" || closed ? "N" : "O";
            if (restricted)
            {
                // What INSEE publishes for a partially diffusible establishment: [ND] for its address and sign.
                foreach (var c in (int[])[11, 12, 13, 16, 17, 27, 28, 29, 46, 49])
                {
                    cells[c] = "[ND]";
                }
            }

            for (var c = 0; c < cells.Length; c++)
            {
                if (c > 0)
                {
                    writer.Write(',');
                }

                writer.Write(cells[c]);
            }

            writer.Write('\n');
        }
    }

    /// <summary>Appends the Luhn check digit to a string of digits.</summary>
    public static string Luhn(string digits) =>
        digits + (char)('0' + ((10 - (Validation.BusinessChecks.LuhnSum(digits + "0") % 10)) % 10));

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", Inv);

    private static int PickIndex(Random rng, int[] weights)
    {
        var total = 0;
        foreach (var w in weights)
        {
            total += w;
        }

        var roll = rng.Next(total);
        for (var i = 0; i < weights.Length; i++)
        {
            if ((roll -= weights[i]) < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    private static string UpperNoAccents(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.ToString();
    }
}

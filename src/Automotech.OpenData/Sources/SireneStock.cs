using System.Collections.Frozen;
using System.Collections.ObjectModel;
using System.Text;
using Automotech.OpenData.Reference;

namespace Automotech.OpenData.Sources;

/// <summary>
/// INSEE's Sirene StockEtablissement file: its columns, and the byte-level tests the Sirene source
/// and the SIRET enrichment apply to a row before turning any of it into strings.
/// </summary>
public static class SireneStock
{
    /// <summary>
    /// The columns of StockEtablissement (layout of 2023 onwards, API Sirene 3.11), in file order.
    /// INSEE adds columns over time (<c>activitePrincipaleNAF25Etablissement</c> in December 2025):
    /// readers map columns by name and ignore the ones they do not know. See docs/sirene.md.
    /// </summary>
    public static IReadOnlyList<string> Columns { get; } = new ReadOnlyCollection<string>(
    [
        "siren", "nic", "siret", "statutDiffusionEtablissement", "dateCreationEtablissement",
        "trancheEffectifsEtablissement", "anneeEffectifsEtablissement", "activitePrincipaleRegistreMetiersEtablissement",
        "dateDernierTraitementEtablissement", "etablissementSiege", "nombrePeriodesEtablissement",
        "complementAdresseEtablissement", "numeroVoieEtablissement", "indiceRepetitionEtablissement",
        "dernierNumeroVoieEtablissement", "indiceRepetitionDernierNumeroVoieEtablissement", "typeVoieEtablissement",
        "libelleVoieEtablissement", "codePostalEtablissement", "libelleCommuneEtablissement",
        "libelleCommuneEtrangerEtablissement", "distributionSpecialeEtablissement", "codeCommuneEtablissement",
        "codeCedexEtablissement", "libelleCedexEtablissement", "codePaysEtrangerEtablissement",
        "libellePaysEtrangerEtablissement", "identifiantAdresseEtablissement", "coordonneeLambertAbscisseEtablissement",
        "coordonneeLambertOrdonneeEtablissement", "complementAdresse2Etablissement", "numeroVoie2Etablissement",
        "indiceRepetition2Etablissement", "typeVoie2Etablissement", "libelleVoie2Etablissement",
        "codePostal2Etablissement", "libelleCommune2Etablissement", "libelleCommuneEtranger2Etablissement",
        "distributionSpeciale2Etablissement", "codeCommune2Etablissement", "codeCedex2Etablissement",
        "libelleCedex2Etablissement", "codePaysEtranger2Etablissement", "libellePaysEtranger2Etablissement",
        "dateDebut", "etatAdministratifEtablissement", "enseigne1Etablissement", "enseigne2Etablissement",
        "enseigne3Etablissement", "denominationUsuelleEtablissement", "activitePrincipaleEtablissement",
        "nomenclatureActivitePrincipaleEtablissement", "caractereEmployeurEtablissement",
    ]);

    public const string Siret = "siret";
    public const string Commune = "codeCommuneEtablissement";
    public const string Activity = "activitePrincipaleEtablissement";
    public const string State = "etatAdministratifEtablissement";
    public const string Diffusion = "statutDiffusionEtablissement";

    /// <summary>
    /// Columns a restricted establishment (diffusion other than <c>O</c>: <c>P</c>, the older <c>N</c>, or anything else) may publish:
    /// nothing finer than its commune. Every other column (name, sign, street, postcode, CEDEX,
    /// coordinates, and any column INSEE adds later) reads as missing for those rows.
    /// </summary>
    public static FrozenSet<string> RestrictedAllowed { get; } = new[]
    {
        "siren", "nic", "siret", "statutDiffusionEtablissement", "dateCreationEtablissement",
        "trancheEffectifsEtablissement", "anneeEffectifsEtablissement", "activitePrincipaleRegistreMetiersEtablissement",
        "dateDernierTraitementEtablissement", "etablissementSiege", "nombrePeriodesEtablissement",
        "libelleCommuneEtablissement", "codeCommuneEtablissement", "codePaysEtrangerEtablissement",
        "libellePaysEtrangerEtablissement", "dateDebut", "etatAdministratifEtablissement",
        "activitePrincipaleEtablissement", "nomenclatureActivitePrincipaleEtablissement",
        "caractereEmployeurEtablissement", "activitePrincipaleNAF25Etablissement",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>INSEE's marker for a value withheld from diffusion; read as missing.</summary>
    public static ReadOnlySpan<byte> NotDiffused => "[ND]"u8;

    /// <summary>
    /// False only for exactly <c>O</c> (diffusible). Fails closed: <c>P</c> (partially diffusible,
    /// since 2023), <c>N</c> (non diffusible, older files), and any other value (empty, <c>[ND]</c>,
    /// lower case, a shifted cell) are restricted.
    /// </summary>
    public static bool IsRestricted(ReadOnlySpan<byte> diffusion) =>
        !(diffusion.Length == 1 && diffusion[0] == (byte)'O');

    /// <summary>The commune codes of a region, as keys of <see cref="CommuneKey"/>.</summary>
    public static FrozenSet<long> CommunesOf(string region)
    {
        if (!string.Equals(region, Geography.RegionCode, StringComparison.Ordinal))
        {
            throw new PipelineException($"region '{region}' is not available: only region {Geography.RegionCode} (Occitanie) is embedded.");
        }

        return Geography.Occitanie.Communes.Keys.Select(c => CommuneKey(Encoding.ASCII.GetBytes(c))).ToFrozenSet();
    }

    /// <summary>A commune code's 5 ASCII bytes packed in a number ("2A004" included); -1 when it is not 5 bytes.</summary>
    public static long CommuneKey(ReadOnlySpan<byte> code)
    {
        if (code.Length != 5)
        {
            return -1;
        }

        long key = 0;
        foreach (var b in code)
        {
            key = (key << 8) | b;
        }

        return key;
    }

    /// <summary>A SIRET of 14 ASCII digits as a number; -1 otherwise.</summary>
    public static long SiretKey(ReadOnlySpan<byte> siret)
    {
        if (siret.Length != 14)
        {
            return -1;
        }

        long value = 0;
        foreach (var b in siret)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return -1;
            }

            value = (value * 10) + (b - '0');
        }

        return value;
    }

    /// <summary>The same, for a SIRET held as text (separators stripped as validation strips them).</summary>
    public static long SiretKey(string? siret)
    {
        if (siret is null)
        {
            return -1;
        }

        Span<byte> digits = stackalloc byte[14];
        var n = 0;
        foreach (var c in Validation.BusinessChecks.StripSeparators(siret))
        {
            if (n == 14 || !char.IsAsciiDigit(c))
            {
                return -1;
            }

            digits[n++] = (byte)c;
        }

        return n == 14 ? SiretKey(digits) : -1;
    }
}

/// <summary>
/// Matches <c>activitePrincipaleEtablissement</c> against declared NAF codes: a full sub-class
/// (<c>29.10Z</c>, or <c>2910Z</c>) exactly, anything shorter as a prefix. Declared codes are read
/// in upper case (<c>29.10z</c> is <c>29.10Z</c>), as INSEE writes them; the loader refuses codes
/// that are not a NAF rev. 2 sub-class or the start of one (<see cref="IsKnown"/>).
/// </summary>
public sealed class NafMatcher
{
    private readonly byte[][] exact;
    private readonly byte[][] prefixes;

    public NafMatcher(IEnumerable<string> codes)
    {
        var list = codes.Select(c => c.Trim()).ToList();
        var bad = list.Where(c => c.Length == 0 || c.Length > 6 || c.Any(ch => !char.IsAsciiLetterOrDigit(ch) && ch != '.')).ToList();
        if (bad.Count > 0)
        {
            throw new PipelineException($"source.filter.naf: not NAF codes or prefixes: {string.Join(", ", bad.Select(b => $"'{b}'"))}.");
        }

        var normalised = list.Select(Normalise).ToList();
        exact = normalised.Where(c => c.Length == 6).Select(Encoding.ASCII.GetBytes).ToArray();
        prefixes = normalised.Where(c => c.Length < 6).Select(Encoding.ASCII.GetBytes).ToArray();
        IsEmpty = exact.Length == 0 && prefixes.Length == 0;
    }

    public bool IsEmpty { get; }

    /// <summary>A declared code as matched: trimmed, upper case, the dot added to an undotted sub-class (<c>2910z</c> → <c>29.10Z</c>).</summary>
    public static string Normalise(string code)
    {
        var c = code.Trim().ToUpperInvariant();
        return c.Length == 5 && !c.Contains('.', StringComparison.Ordinal) ? c[..2] + "." + c[2..] : c;
    }

    /// <summary>True when a normalised code is a NAF rev. 2 sub-class (6 characters) or the start of one: it can match something.</summary>
    public static bool IsKnown(string normalised) =>
        normalised.Length == 6
            ? NafNomenclature.Rev2.Labels.ContainsKey(normalised)
            : normalised.Length > 0 && NafNomenclature.Rev2.Labels.Keys.Any(k => k.StartsWith(normalised, StringComparison.Ordinal));

    public bool Matches(ReadOnlySpan<byte> naf)
    {
        foreach (var code in exact)
        {
            if (naf.SequenceEqual(code))
            {
                return true;
            }
        }

        foreach (var prefix in prefixes)
        {
            if (naf.StartsWith(prefix))
            {
                return true;
            }
        }

        return false;
    }
}

using Automotech.OpenData.Reference;

namespace Automotech.OpenData.Validation;

/// <summary>
/// Checks of French identifiers and geography that Table Schema cannot express, named in
/// pipeline.yaml under a source field's <c>checks</c>. Each returns null when the value passes,
/// else a French message that does not repeat the value.
/// </summary>
public static class BusinessChecks
{
    public static IReadOnlyList<string> Known { get; } = ["siret", "naf", "commune"];

    public static bool IsKnown(string name) => Known.Contains(name);

    public static (string Type, Func<string, string?> Check) Get(string name) => name switch
    {
        "siret" => ("siret-error", CheckSiret),
        "naf" => ("naf-error", v => NafNomenclature.Rev2.FindLabel(v) is null ? "code NAF absent de la nomenclature NAF rév. 2" : null),
        "commune" => ("commune-error", v => Geography.Occitanie.FindCommune(v) is null ? "code commune inconnu en Occitanie (Code officiel géographique)" : null),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown business check."),
    };

    /// <summary>
    /// A SIRET is 14 digits whose Luhn sum is a multiple of 10; La Poste's establishments
    /// (SIREN 356000000) are the one exception: their digit sum is a multiple of 5.
    /// </summary>
    public static bool IsValidSiret(ReadOnlySpan<char> siret)
    {
        if (siret.Length != 14)
        {
            return false;
        }

        foreach (var c in siret)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        if (siret.StartsWith("356000000", StringComparison.Ordinal))
        {
            var sum = 0;
            foreach (var c in siret)
            {
                sum += c - '0';
            }

            return sum % 5 == 0;
        }

        return LuhnSum(siret) % 10 == 0;
    }

    /// <summary>A SIREN is 9 digits with a valid Luhn checksum.</summary>
    public static bool IsValidSiren(ReadOnlySpan<char> siren)
    {
        foreach (var c in siren)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return siren.Length == 9 && LuhnSum(siren) % 10 == 0;
    }

    /// <summary>The Luhn sum: digits doubled every other one from the right.</summary>
    public static int LuhnSum(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum;
    }

    private static string? CheckSiret(string value)
    {
        if (value.Length != 14 || !value.All(char.IsAsciiDigit))
        {
            return "le SIRET doit compter exactement 14 chiffres";
        }

        if (!IsValidSiret(value))
        {
            return "clé de contrôle du SIRET invalide (algorithme de Luhn)";
        }

        // The establishment number cannot be valid for a SIREN that is not (La Poste aside).
        return value.StartsWith("356000000", StringComparison.Ordinal) || IsValidSiren(value.AsSpan(0, 9))
            ? null
            : "clé de contrôle du SIREN (9 premiers chiffres) invalide";
    }
}

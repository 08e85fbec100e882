namespace Automotech.OpenData.Anonymisation;

/// <summary>
/// INSEE's headcount bands ("tranches d'effectif salarié") as Sirene publishes them: a code
/// and its label. A missing headcount is band NN.
/// </summary>
public static class HeadcountBands
{
    private static readonly (long Below, string Code, string Label)[] Bands =
    [
        (1, "00", "0 salarié"),
        (3, "01", "1 ou 2 salariés"),
        (6, "02", "3 à 5 salariés"),
        (10, "03", "6 à 9 salariés"),
        (20, "11", "10 à 19 salariés"),
        (50, "12", "20 à 49 salariés"),
        (100, "21", "50 à 99 salariés"),
        (200, "22", "100 à 199 salariés"),
        (250, "31", "200 à 249 salariés"),
        (500, "32", "250 à 499 salariés"),
        (1000, "41", "500 à 999 salariés"),
        (2000, "42", "1 000 à 1 999 salariés"),
        (5000, "51", "2 000 à 4 999 salariés"),
        (10000, "52", "5 000 à 9 999 salariés"),
        (long.MaxValue, "53", "10 000 salariés et plus"),
    ];

    public const string UnknownCode = "NN";
    public const string UnknownLabel = "Effectif inconnu ou unité non employeuse";

    public static IEnumerable<(string Code, string Label)> All =>
        Bands.Select(b => (b.Code, b.Label)).Prepend((UnknownCode, UnknownLabel));

    public static (string Code, string Label) Of(long? headcount)
    {
        if (headcount is not { } n || n < 0)
        {
            return (UnknownCode, UnknownLabel);
        }

        foreach (var band in Bands)
        {
            if (n < band.Below)
            {
                return (band.Code, band.Label);
            }
        }

        throw new InvalidOperationException("unreachable: the last band is open-ended");
    }
}

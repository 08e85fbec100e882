using System.Text.RegularExpressions;

namespace Automotech.OpenData.Anonymisation;

/// <summary>
/// Removes contact details from free text: e-mail addresses and French phone numbers in their
/// usual spellings (0X XX XX XX XX with spaces, dots or dashes, or none; +33 and 0033 forms),
/// each replaced by a visible marker so readers know something was removed.
/// </summary>
public static partial class TextScrubber
{
    public const string EmailMarker = "[courriel masqué]";
    public const string PhoneMarker = "[téléphone masqué]";

    public static string Scrub(string text)
    {
        var result = Email().Replace(text, EmailMarker);
        return Phone().Replace(result, PhoneMarker);
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    // +33 5 36 49 12 34, 0033 (0)5..., 05 36 49 12 34, 05.36.49.12.34, 05-36-49-12-34, 0536491234.
    [GeneratedRegex(@"(?<![0-9])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|0)[1-9](?:[\s.\-]?[0-9]{2}){4}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();
}

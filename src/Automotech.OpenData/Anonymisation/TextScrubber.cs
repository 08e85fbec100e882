using System.Text.RegularExpressions;

namespace Automotech.OpenData.Anonymisation;

/// <summary>
/// Removes contact details from free text: e-mail addresses, French phone numbers in their
/// usual spellings (0X XX XX XX XX with spaces, dots or dashes, or none, or up to three spaces;
/// +33, (+33) and 0033 forms), IBANs, and links to personal profiles (LinkedIn, Viadeo, Facebook,
/// Instagram, X/Twitter, TikTok, YouTube channels), each replaced by a visible marker so readers
/// know something was removed.
/// </summary>
public static partial class TextScrubber
{
    public const string EmailMarker = "[courriel masqué]";
    public const string PhoneMarker = "[téléphone masqué]";
    public const string IbanMarker = "[IBAN masqué]";
    public const string ProfileMarker = "[lien personnel masqué]";

    public static string Scrub(string text)
    {
        // No digit, '@' or '.': no rule can match (each needs one). Most names, lists of
        // sub-sectors and short texts stop here, in one vectorised scan.
        if (!text.AsSpan().ContainsAny(Triggers))
        {
            return text;
        }

        // Each pattern runs only where it could match (cheap necessary conditions): most texts
        // hold no contact detail at all, and the regexes were half of the anonymiser's time.
        // Profiles and e-mails first: their text must not be half-eaten by the number rules.
        var result = text.Contains(".com", StringComparison.OrdinalIgnoreCase) ? Profile().Replace(text, ProfileMarker) : text;
        result = result.Contains('@', StringComparison.Ordinal) ? Email().Replace(result, EmailMarker) : result;
        var digits = CountDigits(result);
        result = digits >= 2 && result.Length >= 12 ? Iban().Replace(result, IbanMarker) : result;
        return digits >= 9 ? Phone().Replace(result, PhoneMarker) : result;
    }

    private static readonly System.Buffers.SearchValues<char> Triggers = System.Buffers.SearchValues.Create("0123456789@.");

    private static int CountDigits(string text)
    {
        var count = 0;
        foreach (var c in text)
        {
            count += char.IsAsciiDigit(c) ? 1 : 0;
        }

        return count;
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    // FR76 3000 6000 0112 3456 7890 189, and the other countries' forms: 2 letters, 2 check digits, 11–30 characters.
    [GeneratedRegex(@"\b[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", RegexOptions.CultureInvariant)]
    private static partial Regex Iban();

    [GeneratedRegex(@"(?:https?://)?(?:[a-z]{1,3}\.)?(?:linkedin\.com/(?:in|pub)|viadeo\.com|facebook\.com|fb\.com|instagram\.com|twitter\.com|x\.com|tiktok\.com/@|youtube\.com/@)/?[^\s,;)]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Profile();

    // +33 5 36 49 12 34, (+33) 5..., 0033 (0)5..., 05 36 49 12 34, 05.36.49.12.34, 05-36-49-12-34,
    // 05 - 36 - 49 - 12 - 34, 05  36  49  12  34 (a few spaces), 0536491234.
    [GeneratedRegex(@"(?<![0-9])(?:\(?(?:\+|00)\s?33\)?\s?(?:\(0\)\s?)?|0)[1-9](?:(?:\s{1,3}|\s?[.\-]\s?)?[0-9]{2}){4}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();
}

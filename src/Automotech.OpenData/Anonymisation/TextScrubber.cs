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
        result = digits >= 2 && result.Length >= 12 ? AnyCaseIban(Iban().Replace(result, IbanMarker)) : result;
        return digits >= 9 ? Phone().Replace(result, PhoneMarker) : result;
    }

    /// <summary>
    /// An IBAN typed in lower or mixed case ("fr76 3000 …"): such a shape is also ordinary text
    /// ("rn20 vers toulouse" even passes the check digits), so it is masked only when its country
    /// is one a member's bank account is likely in, its length is that country's and its check
    /// digits are right (ISO 13616, mod 97).
    /// </summary>
    private static string AnyCaseIban(string text) =>
        text.AsSpan().ContainsAnyInRange('a', 'z') ? IbanAnyCase().Replace(text, m => IsIban(m.ValueSpan) ? IbanMarker : m.Value) : text;

    /// <summary>IBAN lengths (SWIFT's registry) of France, Monaco and their neighbours.</summary>
    private static readonly Dictionary<string, int> IbanLengths = new(StringComparer.OrdinalIgnoreCase)
    {
        ["FR"] = 27, ["MC"] = 27, ["AD"] = 24, ["ES"] = 24, ["PT"] = 25, ["IT"] = 27, ["CH"] = 21, ["DE"] = 22,
        ["BE"] = 16, ["LU"] = 20, ["NL"] = 18, ["AT"] = 20, ["GB"] = 22, ["IE"] = 22,
    };

    internal static bool IsIban(ReadOnlySpan<char> candidate)
    {
        Span<char> compact = stackalloc char[34];
        var length = 0;
        foreach (var c in candidate)
        {
            if (c == ' ')
            {
                continue;
            }

            if (length == compact.Length)
            {
                return false;
            }

            compact[length++] = char.ToUpperInvariant(c);
        }

        if (length < 5 || !IbanLengths.TryGetValue(compact[..2].ToString(), out var expected) || expected != length)
        {
            return false;
        }

        // The country and check digits move to the end; each letter reads as 10–35; the number mod 97 is 1.
        var remainder = 0;
        for (var i = 0; i < length; i++)
        {
            var c = compact[(i + 4) % length];
            remainder = char.IsAsciiDigit(c) ? ((remainder * 10) + (c - '0')) % 97 : ((remainder * 100) + (c - 'A' + 10)) % 97;
        }

        return remainder == 1;
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

    [GeneratedRegex(@"\b[A-Za-z]{2}[0-9]{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}(?:[ ]?[A-Za-z0-9]{1,3})?\b", RegexOptions.CultureInvariant)]
    private static partial Regex IbanAnyCase();

    // A link starts after no letter, digit, '_' or '-': "x.com" and "fb.com" must not match inside
    // fedex.com or abcfb.com (a website withheld for that by drop_if_personal, a review found).
    [GeneratedRegex(@"(?<![a-z0-9_-])(?:https?://)?(?:[a-z]{1,3}\.)?(?:linkedin\.com/(?:in|pub)|viadeo\.com|facebook\.com|fb\.com|instagram\.com|twitter\.com|x\.com|tiktok\.com/@|youtube\.com/@)/?[^\s,;)]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Profile();

    // +33 5 36 49 12 34, (+33) 5..., 0033 (0)5..., 05 36 49 12 34, 05.36.49.12.34, 05-36-49-12-34,
    // 05 - 36 - 49 - 12 - 34, 05  36  49  12  34 (a few spaces), 0536491234.
    [GeneratedRegex(@"(?<![0-9])(?:\(?(?:\+|00)\s?33\)?\s?(?:\(0\)\s?)?|0)[1-9](?:(?:\s{1,3}|\s?[.\-]\s?)?[0-9]{2}){4}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();
}

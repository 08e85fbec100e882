using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace Automotech.OpenData.Tests.Validation;

public class FieldTypesTests
{
    private static readonly SchemaField Number = new() { Name = "n", Type = "number" };
    private static readonly SchemaField Integer = new() { Name = "i", Type = "integer" };

    [Theory]
    [InlineData("0", true, true)]
    [InlineData("-12.50", true, false)]
    [InlineData("43.60444", true, false)]
    [InlineData("-431", true, true)]
    [InlineData("007", false, false)]
    [InlineData("-0", false, false)]
    [InlineData("-0.00", false, false)]
    [InlineData("-0.01", true, false)]
    [InlineData("+5", false, false)]
    [InlineData(" 5", false, false)]
    [InlineData("5.", false, false)]
    [InlineData(".5", false, false)]
    [InlineData("1e5", false, false)]
    [InlineData("1234567890123456789", false, false)]
    public void The_fast_path_recognises_only_canonical_numbers(string text, bool asNumber, bool asInteger)
    {
        Assert.Equal(asNumber, FieldTypes.IsCanonicalNumber(text, allowFraction: true));
        Assert.Equal(asInteger, FieldTypes.IsCanonicalNumber(text, allowFraction: false));
    }

    [Fact]
    public void Whatever_the_fast_path_accepts_is_what_the_parse_would_give_back()
    {
        // Short strings over the characters that matter, many random draws: the fast path must
        // never accept a text that parsing and formatting would change.
        var random = new Random(3);
        const string alphabet = "0123456789-.+ e";
        var accepted = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(1, 22)).Select(_ => alphabet[random.Next(i % 2 == 0 ? 10 : alphabet.Length)])]);
            if (FieldTypes.IsCanonicalNumber(text, allowFraction: true))
            {
                accepted++;
                Assert.Equal(decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), text);
                Assert.Equal(text, FieldTypes.Normalise(Number, text));
            }

            if (FieldTypes.IsCanonicalNumber(text, allowFraction: false))
            {
                Assert.Equal(long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), text);
                Assert.Equal(text, FieldTypes.Normalise(Integer, text));
            }
        }

        Assert.True(accepted > 10_000, $"only {accepted} draws took the fast path");
    }

    [Theory]
    [InlineData("number", "007.50", "7.50")]
    [InlineData("number", " -0 ", "0")]
    [InlineData("integer", "+42", "42")]
    [InlineData("integer", "4.2", null)]
    public void Other_texts_still_take_the_parse(string type, string text, string? expected) =>
        Assert.Equal(expected, FieldTypes.Normalise(type == "number" ? Number : Integer, text));

    [Fact]
    public void Minimum_and_maximum_compare_numbers_not_texts()
    {
        var last = new FieldTypes.LastParsed();
        var aboveMin = FieldTypes.Comparer("number", "-90", last);
        var belowMax = FieldTypes.Comparer("number", "90", last);
        Assert.True(aboveMin("-89.5") > 0);
        Assert.True(belowMax("-89.5") < 0);
        Assert.True(belowMax("100") > 0);
        Assert.True(FieldTypes.Comparer("integer", "10", new FieldTypes.LastParsed())("9") < 0);
    }

    [Fact]
    public void Bounds_read_short_numbers_from_their_digits_with_the_value_the_parse_gives()
    {
        // Numbers near the shortcut's edges (signs, points, 17 to 19 digits, zeros): whatever it
        // accepts must equal decimal.Parse, scale included, and every short canonical number
        // must be accepted.
        var digits = Gen.Elements("0", "1", "9", "05", "123", "43", "60444", "999999999", "000000000", "18446744073709551615");
        var texts = Gen.OneOf(
            digits.Zip(digits).Select(d => d.Item1 + d.Item2),
            digits.Zip(digits).Select(d => d.Item1 + "." + d.Item2),
            digits.Zip(digits).Select(d => "-" + d.Item1 + "." + d.Item2),
            digits.Select(d => "-" + d),
            Gen.Elements("", "-", ".", "1.", ".5", "1.2.3", "--1", "1e5", "+1", " 1")).ToArbitrary();
        var accepted = 0;
        Prop.ForAll(texts, (string text) =>
        {
            if (!FieldTypes.LastParsed.TryDigits(text, out var value))
            {
                return !(FieldTypes.IsCanonicalNumber(text, allowFraction: true) && text.Count(char.IsAsciiDigit) <= 18);
            }

            accepted++;
            var parsed = decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            return value == parsed && value.Scale == parsed.Scale;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(20_000));
        Assert.True(accepted > 1_000, $"the generator produced only {accepted} accepted numbers");
    }

    [Theory]
    [InlineData("43.60444", true)]
    [InlineData("-0.4", true)]
    [InlineData("999999999999999999", true)]      // 18 digits
    [InlineData("9999999999999999999", false)]    // 19: left to the parse
    [InlineData("184467440737095516150", false)]  // past 64 bits
    [InlineData("1.", false)]
    [InlineData(".5", false)]
    [InlineData("1.2.3", false)]
    [InlineData("-", false)]
    public void Short_numbers_are_read_from_their_digits(string text, bool read)
    {
        Assert.Equal(read, FieldTypes.LastParsed.TryDigits(text, out var value));
        if (read)
        {
            Assert.Equal(decimal.Parse(text, CultureInfo.InvariantCulture), value);
        }
    }
}


public class PatternCheckTests
{
    [Fact]
    public void Remembered_answers_are_the_patterns_own_for_repeated_and_distinct_values()
    {
        var regex = new System.Text.RegularExpressions.Regex("^(?:[0-9]{5})$");
        var check = new Automotech.OpenData.Validation.RecordValidator.PatternCheck(regex);
        var random = new Random(9);
        for (var i = 0; i < 60_000; i++)
        {
            // First mostly repeated codes, then mostly distinct values (past the trial).
            var value = i < 30_000
                ? random.Next(40).ToString("D5", CultureInfo.InvariantCulture) + (random.Next(10) == 0 ? "x" : "")
                : random.Next(1_000_000).ToString(CultureInfo.InvariantCulture);
            Assert.Equal(regex.IsMatch(value), check.IsMatch(value));
        }
    }
}

using System.Globalization;

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

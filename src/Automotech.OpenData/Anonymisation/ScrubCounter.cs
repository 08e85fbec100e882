using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Anonymisation;

/// <summary>
/// The privacy report's counts of what the text rules took out: the markers <c>scrub</c> left in
/// published text, by kind, and the values <c>drop_if_personal</c> withheld (a website that is
/// someone's profile, or holds an e-mail or a phone) from rows that are not natural persons'
/// (whose rules withhold those fields anyway). Numbers only, never values.
/// </summary>
internal sealed class ScrubCounter
{
    /// <summary>The count of values withheld by <c>drop_if_personal</c>.</summary>
    public const string WithheldKind = "valeur-personnelle-retiree";

    private static readonly (string Kind, string Marker)[] Markers =
    [
        ("courriel", TextScrubber.EmailMarker),
        ("telephone", TextScrubber.PhoneMarker),
        ("iban", TextScrubber.IbanMarker),
        ("lien-personnel", TextScrubber.ProfileMarker),
        ("date-naissance", TextScrubber.BirthDateMarker),
        ("nom", TextScrubber.NameMarker),
    ];

    private readonly int[] columns;
    private readonly (int Output, int Source)[] withheld;
    private readonly Anonymiser anonymiser;

    public ScrubCounter(PipelineDefinition pipeline, Anonymiser anonymiser, IReadOnlyList<string> sourceFields)
    {
        this.anonymiser = anonymiser;
        var published = pipeline.Schema.FieldNames.Select((name, i) => (Name: name, Index: i, Rule: pipeline.Fields.GetValueOrDefault(name))).ToList();
        columns = [.. published.Where(f => f.Rule?.Transform == "scrub").Select(f => f.Index)];
        withheld = [.. published
            .Where(f => f.Rule is { Transform: "drop_if_personal", From: { } from } && sourceFields.Contains(from))
            .Select(f => (f.Index, sourceFields.ToList().IndexOf(f.Rule!.From!)))];
        // Only the rules the dataset applies are counted: a dataset that scrubs no text published
        // "0 adresses électroniques, 0 IBAN… remplacés" as if it did.
        if (columns.Length > 0)
        {
            foreach (var (kind, _) in Markers)
            {
                Counts[kind] = 0;
            }
        }

        if (withheld.Length > 0)
        {
            Counts[WithheldKind] = 0;
        }
    }

    public SortedDictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>Counts one published batch; <paramref name="source"/> holds its rows (and maybe more: rejected ones), matched by line.</summary>
    public void Count(ColumnBatch source, ColumnBatch output)
    {
        foreach (var column in columns)
        {
            for (var row = 0; row < output.Count; row++)
            {
                if (output.Get(row, column) is not { } text || text.IndexOf('[', StringComparison.Ordinal) < 0)
                {
                    continue;
                }

                foreach (var (kind, marker) in Markers)
                {
                    for (var at = text.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(marker, at + marker.Length, StringComparison.Ordinal))
                    {
                        Counts[kind]++;
                    }
                }
            }
        }

        if (withheld.Length > 0)
        {
            CountWithheld(source, output);
        }
    }

    private void CountWithheld(ColumnBatch source, ColumnBatch output)
    {
        var s = 0;
        for (var o = 0; o < output.Count; o++)
        {
            // Output rows keep their source rows' order; rejected source rows are missing from it.
            var line = output.LineNumber(o);
            while (s < source.Count && source.LineNumber(s) != line)
            {
                s++;
            }

            if (s == source.Count)
            {
                return;
            }

            if (anonymiser.IsNaturalPerson(source, s))
            {
                continue;
            }

            foreach (var (outputColumn, sourceColumn) in withheld)
            {
                if (output.Get(o, outputColumn) is null && source.Get(s, sourceColumn) is not null)
                {
                    Counts[WithheldKind]++;
                }
            }
        }
    }
}

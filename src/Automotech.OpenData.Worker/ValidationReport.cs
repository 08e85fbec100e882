using System.Globalization;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Worker;

/// <summary>The readable report the <c>validate</c> verb prints: counts by rule, then the first errors.</summary>
internal static class ValidationReport
{
    public static async Task WriteAsync(TextWriter output, DatasetBuild build, IReadOnlyList<RowError> firstErrors, bool valid)
    {
        var v = build.Validation;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{build.Pipeline.Id}: {(valid ? "VALID" : "INVALID")} — {v.RowsRead} rows read, {v.RowsPublished} publishable, {v.RowsRejected} rejected (threshold {build.Pipeline.Validation.MaxErrorRatio:P1})."));
        if (v.Errors.Count > 0)
        {
            await output.WriteLineAsync($"  {"error type",-16} {"field",-24} {"rows",6}");
            foreach (var e in v.Errors)
            {
                await output.WriteLineAsync($"  {e.Type,-16} {e.Field,-24} {e.Count,6}");
            }
        }

        if (v.Warnings.Count > 0)
        {
            await output.WriteLineAsync($"  {"warning",-16} {"field",-24} {"times",6}   (rows kept)");
            foreach (var w in v.Warnings)
            {
                await output.WriteLineAsync($"  {w.Type,-16} {w.Field,-24} {w.Count,6}");
            }
        }

        if (firstErrors.Count > 0)
        {
            await output.WriteLineAsync("  first errors:");
            foreach (var e in firstErrors)
            {
                await output.WriteLineAsync($"  line {e.LineNumber,7}  {e.Type,-16} {e.FieldName,-20} {e.Message}");
            }
        }
    }
}

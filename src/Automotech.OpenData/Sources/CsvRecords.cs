using CsvHelper;
using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Sources;

/// <summary>The reading steps the delimited-text sources share, with their located errors.</summary>
internal static class CsvRecords
{
    /// <summary>Reads the header, then maps it; an unreadable header names line 1.</summary>
    public static T ReadHeader<T>(CsvReader reader, string description, Func<IReadOnlyList<string>, T> map)
    {
        try
        {
            reader.ReadHeader();
            return map(reader.Headers);
        }
        catch (CsvFormatException e)
        {
            throw new PipelineException($"{description}, line 1: the header cannot be read ({e.Message}).", e);
        }
    }

    /// <summary>
    /// The next record, or false at the end. A record that cannot be read, or one past
    /// <c>source.limits.max_rows</c>, stops the run: nothing is published.
    /// </summary>
    public static bool Next(CsvReader reader, string description, ref long rows, SourceLimits limits)
    {
        bool more;
        try
        {
            more = reader.Read();
        }
        catch (CsvFormatException e)
        {
            throw new PipelineException($"{description}, after line {reader.LineNumber}: the file cannot be read further ({e.Message}). Nothing is published.", e);
        }

        if (more && ++rows > limits.MaxRows)
        {
            throw new PipelineException($"{description}: more than source.limits.max_rows ({limits.MaxRows}) rows. Nothing is published.");
        }

        return more;
    }
}

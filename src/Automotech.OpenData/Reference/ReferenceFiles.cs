using System.Reflection;
using CsvHelper;

namespace Automotech.OpenData.Reference;

/// <summary>Reads the reference files embedded in this assembly (see reference/README.md).</summary>
internal static class ReferenceFiles
{
    public static Stream Open(string fileName)
    {
        var name = "reference/" + fileName;
        return Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded reference file '{name}' is missing from the build.");
    }

    /// <summary>Every record of an embedded CSV file, as a header-name → value map.</summary>
    public static IEnumerable<Func<string, string>> ReadCsv(string fileName)
    {
        using var stream = Open(fileName);
        using var reader = CsvReader.Create(stream, CsvReaderOptions.Default with { Separator = ',' }, leaveOpen: false);
        while (reader.Read())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.GetString(i);
            }

            var headers = reader.Headers;
            yield return column =>
            {
                var index = IndexOf(headers, column);
                return index >= 0 && index < values.Length
                    ? values[index]
                    : throw new InvalidOperationException($"Reference file {fileName} has no column '{column}'.");
            };
        }
    }

    private static int IndexOf(IReadOnlyList<string> headers, string column)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            if (string.Equals(headers[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

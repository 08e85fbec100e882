using System.Text;
using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Pipelines;

public sealed partial class DatasetBuilder
{
    /// <summary>
    /// The build with each file's sha256 (hashed once, side by side: the staging and the
    /// fingerprint use them) and its fingerprint.
    /// </summary>
    private static DatasetBuild Hashed(DatasetBuild build)
    {
        var hashes = new string[build.FileNames.Count];
        Parallel.For(0, hashes.Length, i => hashes[i] = FileHash.Sha256(Path.Combine(build.Directory, build.FileNames[i])));
        var byName = build.FileNames.Select((name, i) => (name, i)).ToDictionary(f => f.name, f => hashes[f.i], StringComparer.Ordinal);
        return build with { FileHashes = byName, Fingerprint = Fingerprint(build.Pipeline, byName) };
    }

    /// <summary>
    /// What identifies the published content: the CSV (every published value) and the schema.
    /// Parquet is left out on purpose: it embeds the version, and holds the same values.
    /// </summary>
    private static string Fingerprint(PipelineDefinition pipeline, IReadOnlyDictionary<string, string> fileHashes)
    {
        var parts = $"schema:{FileHash.Sha256(Encoding.UTF8.GetBytes(pipeline.SchemaJson))}\n"
            + $"csv:{fileHashes.GetValueOrDefault(pipeline.Id + ".csv") ?? "none"}\n"
            + $"formats:{string.Join(",", pipeline.Outputs.Formats)}\n"
            + (pipeline.Outputs.PartitionBy is { } partition ? $"partition_by:{partition}\n" : "");
        return FileHash.Sha256(Encoding.UTF8.GetBytes(parts));
    }
}

using System.Runtime.CompilerServices;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Joins INSEE's Sirene stock to a source by SIRET (<c>enrich.sirene</c> in pipeline.yaml). Before
/// the source is read, the Sirene file is streamed once and the establishments of the region
/// (all activities, open and closed), plus the restricted ones (diffusion not <c>O</c>) of every
/// other region, are indexed as SIRET → a packed 4-byte state (sorted arrays: 12 bytes per
/// establishment, bounded by those counts and by <see cref="SireneIndex.MaxEntries"/>, not by the file).
/// Then each batch of the source gets the declared Sirene columns as extra fields: closed
/// establishments carry <c>F</c>, the official headcount band its INSEE code, and a Sirene
/// diffusion status other than exactly <c>O</c> (<c>P</c>, <c>N</c>, empty, anything else) sets the
/// <c>restrict</c> field to <c>P</c>, so that Sirene's restriction always wins over the source's own value.
/// </summary>
public static class SireneEnrichment
{
    /// <summary>The Sirene columns that can be joined (each fits a byte of the index).</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "etatAdministratifEtablissement", "trancheEffectifsEtablissement", "statutDiffusionEtablissement",
        "caractereEmployeurEtablissement", "etablissementSiege",
    ];

    /// <summary>INSEE's headcount band codes; the index stores a band as its position + 1 (0: none).</summary>
    internal static readonly string[] Bands = [.. Anonymisation.HeadcountBands.All.Select(b => b.Code)];

    /// <summary>The fields the stages after the source see: the source's, then the joined ones (text).</summary>
    public static TableSchema Extend(TableSchema source, SireneEnrichDefinition definition) => new()
    {
        Fields = [.. source.Fields, .. definition.Fields.Keys.Select(name => new SchemaField { Name = name, Type = "string" })],
        PrimaryKey = source.PrimaryKey,
        MissingValues = source.MissingValues,
    };

    /// <summary>The pipeline's source, enriched when it declares <c>enrich.sirene</c>; else the source itself.</summary>
    public static IRecordSource Wrap(PipelineDefinition pipeline, IRecordSource source, RunOptions options)
    {
        if (pipeline.Enrich?.Sirene is not { } definition)
        {
            return source;
        }

        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(pipeline.Directory, definition.Path));
        SourceFile.RequireRegular(path, "enrich.sirene file");
        if (!File.Exists(path))
        {
            throw new PipelineException($"{pipeline.Id}: enrich.sirene.path: Sirene file not found: {path}.");
        }

        return new EnrichedSource(source, pipeline.Source.Schema, pipeline.InputSchema, definition, path, options.BatchSize);
    }

    private sealed class EnrichedSource(IRecordSource inner, TableSchema sourceSchema, TableSchema inputSchema, SireneEnrichDefinition definition, string path, int batchSize) : IRecordSource
    {
        private long matched;
        private long closed;
        private long restricted;
        private int indexed;
        private int elsewhere;

        public string Description => inner.Description;

        public string Details => $"{inner.Details}; Sirene {path}: {indexed - elsewhere} establishments of region {definition.Region} and {elsewhere} restricted ones elsewhere indexed, {matched} rows matched ({closed} closed, {restricted} restricted)";

        public long SizeBytes => inner.SizeBytes;

        public long RowsRead => inner.RowsRead;

        public string NoRowsReason => inner.NoRowsReason;

        public double Fraction => inner.Fraction;

        public async IAsyncEnumerable<ColumnBatch> ReadAsync(IRejectedRowSink sink, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var index = SireneIndex.Load(path, definition.Region, definition.Limits, cancellationToken);
            indexed = index.Count;
            elsewhere = index.Elsewhere;
            var own = sourceSchema.Fields.Count;
            var siretField = sourceSchema.FieldNames.ToList().IndexOf(definition.Siret);
            var restrictField = definition.Restrict is { } r ? sourceSchema.FieldNames.ToList().IndexOf(r) : -1;
            var joined = definition.Fields.Values.Select(c => Columns.ToList().IndexOf(c)).ToArray();
            ColumnBatch? output = null;
            await foreach (var batch in inner.ReadAsync(sink, cancellationToken))
            {
                output ??= new ColumnBatch(inputSchema.FieldNames, Math.Max(batch.Capacity, batchSize));
                output.Clear();
                for (var row = 0; row < batch.Count; row++)
                {
                    var target = output.AddRow(batch.LineNumber(row));
                    for (var f = 0; f < own; f++)
                    {
                        output.Set(target, f, batch.Get(row, f));
                    }

                    if (!index.TryGet(SireneStock.SiretKey(batch.Get(row, siretField)), out var state))
                    {
                        continue;
                    }

                    matched++;
                    closed += SireneIndex.Decode(state, 0) == "F" ? 1 : 0;
                    var isRestricted = SireneIndex.Decode(state, 2) != "O";
                    if (isRestricted)
                    {
                        restricted++;
                        if (restrictField >= 0)
                        {
                            output.Set(target, restrictField, "P");
                        }
                    }

                    for (var j = 0; j < joined.Length; j++)
                    {
                        output.Set(target, own + j, SireneIndex.Decode(state, joined[j]));
                    }
                }

                yield return output;
            }
        }
    }
}

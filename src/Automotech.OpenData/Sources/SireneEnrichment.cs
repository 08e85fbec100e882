using System.Runtime.CompilerServices;
using System.Text;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Validation;
using CsvHelper;

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
        if (!File.Exists(path))
        {
            throw new PipelineException($"{pipeline.Id}: enrich.sirene.path: Sirene file not found: {path}.");
        }

        return new EnrichedSource(source, pipeline.Source.Schema, pipeline.InputSchema, definition, path, options.BatchSize, pipeline.Source.Limits.MaxRecordBytes);
    }

    private sealed class EnrichedSource(IRecordSource inner, TableSchema sourceSchema, TableSchema inputSchema, SireneEnrichDefinition definition, string path, int batchSize, int maxRecordBytes) : IRecordSource
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
            var index = SireneIndex.Load(path, definition.Region, maxRecordBytes, cancellationToken);
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

/// <summary>
/// The region's establishments of a Sirene stock, and the restricted establishments (diffusion not
/// <c>O</c>) of every other region, by SIRET: two sorted arrays (SIRET as a number, and 4 bytes of
/// state: administrative state, headcount band and employer flag with the head-office bit,
/// diffusion status read as <c>O</c> or <c>P</c>), searched by bisection. An establishment outside
/// the region is held for its restriction only: its other columns read as missing.
/// </summary>
public sealed class SireneIndex
{
    private readonly long[] keys;
    private readonly uint[] values;

    private SireneIndex(long[] keys, uint[] values)
    {
        this.keys = keys;
        this.values = values;
    }

    /// <summary>
    /// Most establishments held (12 bytes each, 120 MB): the region's (Occitanie: an estimated 3.5
    /// million) plus the restricted ones elsewhere. A file past it stops the run: its diffusion
    /// column is most likely not INSEE's (every row would then be restricted and indexed).
    /// </summary>
    public const int MaxEntries = 10_000_000;

    /// <summary>Marks an establishment outside the region, held for its restriction only (free bit: the employer byte is ASCII).</summary>
    private const uint OutsideRegion = 0x8000_0000u;

    /// <summary>Establishments held: the region's and the restricted ones elsewhere, never the whole file's.</summary>
    public int Count => keys.Length;

    /// <summary>Restricted establishments held from outside the region.</summary>
    public int Elsewhere { get; private init; }

    /// <param name="maxRecordBytes">Longest record buffered (the pipeline's source.limits.max_record_bytes): an unclosed quote stops there.</param>
    public static SireneIndex Load(string path, string region, int maxRecordBytes, CancellationToken cancellationToken) =>
        Load(path, region, maxRecordBytes, MaxEntries, cancellationToken);

    /// <param name="maxEntries">Most establishments held (<see cref="MaxEntries"/>; lower in tests).</param>
    internal static SireneIndex Load(string path, string region, int maxRecordBytes, int maxEntries, CancellationToken cancellationToken)
    {
        var communes = SireneStock.CommunesOf(region);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false);
        using var reader = CsvReader.Create(stream, CsvReaderOptions.Default with { Separator = ',', Encoding = Encoding.UTF8, TrackLineNumbers = true, IncludeValuesInExceptions = false, MaxRecordSize = maxRecordBytes }, leaveOpen: true);
        var headers = CsvRecords.ReadHeader(reader, path, read => read.Select(h => h.Trim()).ToList());
        var headerCount = headers.Count;
        int Column(string name) => headers.IndexOf(name) is var i and >= 0
            ? i
            : throw new PipelineException($"{path}, line 1 (header): column '{name}' is missing; is this INSEE's StockEtablissement (comma-delimited)?");
        var siret = Column(SireneStock.Siret);
        var commune = Column(SireneStock.Commune);
        var state = Column(SireneStock.State);
        var band = Column("trancheEffectifsEtablissement");
        var diffusion = Column(SireneStock.Diffusion);
        var employer = headers.IndexOf("caractereEmployeurEtablissement");
        var head = headers.IndexOf("etablissementSiege");

        var keys = new long[Math.Min(1 << 16, maxEntries)];
        var values = new uint[keys.Length];
        var count = 0;
        try
        {
            while (reader.Read())
            {
                if (count % 4096 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (reader.FieldCount != headerCount)
                {
                    // Shifted cells: neither the commune nor the diffusion status can be trusted, and
                    // skipping the row could lose a restriction. As the Sirene source, say where; stop.
                    throw new PipelineException(
                        $"{path}, line {reader.LineNumber}: the row has {reader.FieldCount} cells for {headerCount} header columns ({(reader.FieldCount > headerCount ? "extra-cell" : "missing-cell")}); "
                        + "enrich.sirene cannot tell whether this establishment's diffusion is restricted. Nothing is published.");
                }

                var inRegion = communes.Contains(SireneStock.CommuneKey(reader.GetSpan(commune)));
                if (!inRegion && !SireneStock.IsRestricted(reader.GetSpan(diffusion)))
                {
                    continue;
                }

                var key = SireneStock.SiretKey(reader.GetSpan(siret));
                if (key < 0)
                {
                    continue;
                }

                if (count == keys.Length)
                {
                    if (count == maxEntries)
                    {
                        throw new PipelineException(
                            $"{path}, line {reader.LineNumber}: more than {maxEntries} establishments to index for enrich.sirene (those of region {region}, and the restricted ones elsewhere); "
                            + "is statutDiffusionEtablissement filled with INSEE's O and P? Nothing is published.");
                    }

                    Array.Resize(ref keys, Math.Min(count * 2, maxEntries));
                    Array.Resize(ref values, Math.Min(count * 2, maxEntries));
                }

                keys[count] = key;
                values[count++] = inRegion
                    ? Pack(reader.GetSpan(state), reader.GetSpan(band), reader.GetSpan(diffusion), employer >= 0 ? reader.GetSpan(employer) : default, head >= 0 && reader.GetSpan(head).SequenceEqual("true"u8))
                    : OutsideRegion | ((uint)'P' << 16);
            }
        }
        catch (CsvFormatException e)
        {
            throw new PipelineException($"{path}, after line {reader.LineNumber}: the Sirene file cannot be read further ({e.Message}). Nothing is published.", e);
        }

        Array.Sort(keys, values, 0, count);

        // A SIRET listed twice (never in INSEE's stock) keeps one state, whatever the sort's order:
        // the largest, restricted if any of its rows is.
        var unique = 0;
        for (var i = 0; i < count; i++)
        {
            if (unique > 0 && keys[unique - 1] == keys[i])
            {
                var (a, b) = (values[unique - 1], values[i]);
                var merged = Math.Max(a, b);
                values[unique - 1] = Decode(a, 2) == "O" && Decode(b, 2) == "O" ? merged : (merged & ~0x00FF_0000u) | ((uint)'P' << 16);
                continue;
            }

            keys[unique] = keys[i];
            values[unique++] = values[i];
        }

        Array.Resize(ref keys, unique);
        Array.Resize(ref values, unique);
        var elsewhere = 0;
        foreach (var value in values)
        {
            elsewhere += (value & OutsideRegion) != 0 ? 1 : 0;
        }

        return new SireneIndex(keys, values) { Elsewhere = elsewhere };
    }

    public bool TryGet(long siret, out uint state)
    {
        var i = siret < 0 ? -1 : Array.BinarySearch(keys, siret);
        state = i >= 0 ? values[i] : 0;
        return i >= 0;
    }

    /// <summary>The value of <see cref="SireneEnrichment.Columns"/>[<paramref name="column"/>] held in <paramref name="state"/>.</summary>
    public static string? Decode(uint state, int column) => column switch
    {
        0 or 1 or 3 or 4 when (state & OutsideRegion) != 0 => null, // held for its restriction only
        0 => Letter((byte)state),
        1 => ((state >> 8) & 0x7F) is var band and > 0 ? SireneEnrichment.Bands[band - 1] : null,
        2 => Letter((byte)(state >> 16)),
        3 => Letter((byte)(state >> 24)),
        4 => (state & 0x8000) != 0 ? "true" : "false",
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    private static uint Pack(ReadOnlySpan<byte> state, ReadOnlySpan<byte> band, ReadOnlySpan<byte> diffusion, ReadOnlySpan<byte> employer, bool head)
    {
        uint bandCode = 0;
        for (var i = 0; i < SireneEnrichment.Bands.Length; i++)
        {
            if (band.Length == 2 && band[0] == SireneEnrichment.Bands[i][0] && band[1] == SireneEnrichment.Bands[i][1])
            {
                bandCode = (uint)i + 1;
                break;
            }
        }

        return OneLetter(state) | (bandCode << 8) | (head ? 0x8000u : 0) | ((uint)Diffusion(diffusion) << 16) | ((uint)OneLetter(employer) << 24);
    }

    /// <summary>Fails closed: <c>O</c> for exactly <c>O</c>; <c>P</c> for anything else (<c>P</c>, <c>N</c>, empty, <c>[ND]</c>, lower case...).</summary>
    private static byte Diffusion(ReadOnlySpan<byte> value) => SireneStock.IsRestricted(value) ? (byte)'P' : (byte)'O';

    private static byte OneLetter(ReadOnlySpan<byte> value) => value.Length == 1 && char.IsAsciiLetterUpper((char)value[0]) ? value[0] : (byte)0;

    private static string? Letter(byte b) => b == 0 ? null : ((char)b).ToString();
}

using System.Text;
using Automotech.OpenData.Pipelines;
using CsvHelper;

namespace Automotech.OpenData.Sources;

/// <summary>
/// The region's establishments of a Sirene stock, and the restricted establishments (diffusion not
/// <c>O</c>) of every other region, by SIRET: SIRET as a number and 4 bytes of state
/// (administrative state, headcount band and employer flag with the head-office bit, diffusion
/// status read as <c>O</c> or <c>P</c>), 12 bytes per establishment. The entries are spread over
/// <see cref="Buckets"/> buckets by a hash of the SIRET; each bucket is a sorted array of exactly
/// its entries, searched by bisection. While the file is read, a bucket fills pages of
/// <see cref="PageEntries"/> entries, so memory never holds a doubled copy of the index: at most
/// one partly filled page per bucket (3 MB), and one bucket's pages while it is sorted. An
/// establishment outside the region is held for its restriction only: its other columns read as missing.
/// </summary>
public sealed class SireneIndex
{
    /// <summary>
    /// Most establishments held (12 bytes each, 120 MB): the region's (Occitanie: an estimated 3.5
    /// million) plus the restricted ones elsewhere. A file past it stops the run: its diffusion
    /// column is most likely not INSEE's (every row would then be restricted and indexed).
    /// </summary>
    public const int MaxEntries = 10_000_000;

    /// <summary>Entries of a page while the file is read (12 KB).</summary>
    internal const int PageEntries = 1024;

    private const int BucketBits = 8;

    private const int Buckets = 1 << BucketBits;

    /// <summary>Marks an establishment outside the region, held for its restriction only (free bit: the employer byte is ASCII).</summary>
    private const uint OutsideRegion = 0x8000_0000u;

    private const uint DiffusionByte = 0x00FF_0000u;

    private readonly long[][] keys;
    private readonly uint[][] values;

    private SireneIndex(long[][] keys, uint[][] values)
    {
        this.keys = keys;
        this.values = values;
    }

    /// <summary>Establishments held: the region's and the restricted ones elsewhere, never the whole file's.</summary>
    public int Count { get; private init; }

    /// <summary>Restricted establishments held from outside the region.</summary>
    public int Elsewhere { get; private init; }

    /// <param name="limits">The Sirene file's bounds (<c>enrich.sirene.limits</c>): size, rows, longest record (an unclosed quote stops there).</param>
    public static SireneIndex Load(string path, string region, SireneEnrichLimits limits, CancellationToken cancellationToken) =>
        Load(path, region, limits, MaxEntries, PageEntries, cancellationToken);

    /// <param name="maxEntries">Most establishments held (<see cref="MaxEntries"/>; lower in tests).</param>
    /// <param name="pageEntries">Entries of a page (<see cref="PageEntries"/>; lower in tests).</param>
    internal static SireneIndex Load(string path, string region, SireneEnrichLimits limits, int maxEntries, int pageEntries, CancellationToken cancellationToken)
    {
        var size = new FileInfo(path).Length;
        if (size > limits.MaxFileBytes)
        {
            throw new PipelineException($"{path}: the file is {size} bytes, above enrich.sirene.limits.max_file_bytes ({limits.MaxFileBytes}). Nothing is published.");
        }

        var communes = SireneStock.CommunesOf(region);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false);
        using var reader = CsvReader.Create(stream, CsvReaderOptions.Default with { Separator = ',', Encoding = Encoding.UTF8, TrackLineNumbers = true, IncludeValuesInExceptions = false, MaxRecordSize = limits.MaxRecordBytes }, leaveOpen: true);
        var headers = CsvRecords.ReadHeader(reader, path, read => read.Select(h => h.Trim()).ToList());
        var headerCount = headers.Count;
        int Column(string name) => Optional(name) is var i and >= 0
            ? i
            : throw new PipelineException($"{path}, line 1 (header): column '{name}' is missing; is this INSEE's StockEtablissement (comma-delimited)?");

        // A column read given twice: which one holds the data? INSEE's file names each once.
        int Optional(string name) => headers.IndexOf(name) is var i && i >= 0 && headers.LastIndexOf(name) != i
            ? throw new PipelineException($"{path}, line 1 (header): duplicate-label: column '{name}' {headers.Count(h => h == name)} times (columns n° {string.Join(", ", headers.Select((h, at) => (h, at)).Where(c => c.h == name).Select(c => c.at + 1))}); is this INSEE's StockEtablissement?")
            : i;
        var siret = Column(SireneStock.Siret);
        var commune = Column(SireneStock.Commune);
        var state = Column(SireneStock.State);
        var band = Column("trancheEffectifsEtablissement");
        var diffusion = Column(SireneStock.Diffusion);
        var employer = Optional("caractereEmployeurEtablissement");
        var head = Optional("etablissementSiege");

        var keyPages = new List<long[]>?[Buckets];
        var valuePages = new List<uint[]>?[Buckets];
        var lastFill = new int[Buckets];
        var count = 0;
        var rows = 0L;
        try
        {
            while (reader.Read())
            {
                if (++rows > limits.MaxRows)
                {
                    throw new PipelineException($"{path}: more than enrich.sirene.limits.max_rows ({limits.MaxRows}) rows. Nothing is published.");
                }

                if ((rows & 0xFFF) == 0)
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

                if (count == maxEntries)
                {
                    throw new PipelineException(
                        $"{path}, line {reader.LineNumber}: more than {maxEntries} establishments to index for enrich.sirene (those of region {region}, and the restricted ones elsewhere); "
                        + "is statutDiffusionEtablissement filled with INSEE's O and P? Nothing is published.");
                }

                var b = Bucket(key);
                var (bucketKeys, bucketValues) = (keyPages[b] ??= [], valuePages[b] ??= []);
                if (bucketKeys.Count == 0 || lastFill[b] == pageEntries)
                {
                    bucketKeys.Add(new long[pageEntries]);
                    bucketValues.Add(new uint[pageEntries]);
                    lastFill[b] = 0;
                }

                bucketKeys[^1][lastFill[b]] = key;
                bucketValues[^1][lastFill[b]++] = inRegion
                    ? Pack(reader.GetSpan(state), reader.GetSpan(band), reader.GetSpan(diffusion), employer >= 0 ? reader.GetSpan(employer) : default, head >= 0 && reader.GetSpan(head).SequenceEqual("true"u8))
                    : OutsideRegion | ((uint)'P' << 16);
                count++;
            }
        }
        catch (CsvFormatException e)
        {
            throw new PipelineException($"{path}, after line {reader.LineNumber}: the Sirene file cannot be read further ({e.Message}). Nothing is published.", e);
        }

        // Each bucket's pages become one sorted array of exactly its entries; its pages are then free.
        var keys = new long[Buckets][];
        var values = new uint[Buckets][];
        var (unique, elsewhere) = (0, 0);
        for (var b = 0; b < Buckets; b++)
        {
            var n = keyPages[b] is { } pages ? ((pages.Count - 1) * pageEntries) + lastFill[b] : 0;
            keys[b] = new long[n];
            values[b] = new uint[n];
            for (var p = 0; p * pageEntries < n; p++)
            {
                var length = Math.Min(pageEntries, n - (p * pageEntries));
                Array.Copy(keyPages[b]![p], 0, keys[b], p * pageEntries, length);
                Array.Copy(valuePages[b]![p], 0, values[b], p * pageEntries, length);
            }

            (keyPages[b], valuePages[b]) = (null, null);
            Array.Sort(keys[b], values[b]);
            var held = Merge(keys[b], values[b]);
            if (held < n)
            {
                Array.Resize(ref keys[b], held);
                Array.Resize(ref values[b], held);
            }

            unique += held;
            foreach (var value in values[b])
            {
                elsewhere += (value & OutsideRegion) != 0 ? 1 : 0;
            }
        }

        return new SireneIndex(keys, values) { Count = unique, Elsewhere = elsewhere };
    }

    public bool TryGet(long siret, out uint state)
    {
        var b = siret < 0 ? -1 : Bucket(siret);
        var i = b < 0 ? -1 : Array.BinarySearch(keys[b], siret);
        state = i >= 0 ? values[b][i] : 0;
        return i >= 0;
    }

    /// <summary>A bucket for a SIRET: the top bits of a multiplicative hash, so that close SIRETs (one company's establishments) spread evenly.</summary>
    private static int Bucket(long siret) => (int)(((ulong)siret * 0x9E37_79B9_7F4A_7C15UL) >> (64 - BucketBits));

    /// <summary>
    /// A SIRET listed more than once (never in INSEE's stock) keeps one state, whatever the order of
    /// its rows: the largest of its rows in the region (their state and band are what the join
    /// reads; a row outside the region holds only a restriction), else the one outside, restricted
    /// if any of its rows is. Returns the entries kept, at the start.
    /// </summary>
    private static int Merge(long[] keys, uint[] values)
    {
        var kept = 0;
        for (var i = 0; i < keys.Length;)
        {
            var (largest, restricted) = (values[i], false);
            var j = i;
            for (; j < keys.Length && keys[j] == keys[i]; j++)
            {
                // An entry in the region wins over one outside it (whose OutsideRegion bit is the top one).
                largest = (largest & OutsideRegion, values[j] & OutsideRegion) switch
                {
                    (0, not 0) => largest,
                    (not 0, 0) => values[j],
                    _ => Math.Max(largest, values[j]),
                };
                restricted |= ((values[j] & DiffusionByte) >> 16) != 'O';
            }

            keys[kept] = keys[i];
            values[kept++] = restricted ? (largest & ~DiffusionByte) | ((uint)'P' << 16) : largest;
            i = j;
        }

        return kept;
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

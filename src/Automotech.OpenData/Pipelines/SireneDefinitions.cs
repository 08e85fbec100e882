namespace Automotech.OpenData.Pipelines;

/// <summary>
/// Which rows of a Sirene StockEtablissement file a <c>kind: sirene</c> source keeps, applied while
/// the file streams, before a row is turned into strings.
/// </summary>
public sealed class SireneFilter
{
    /// <summary>INSEE region code whose communes are kept (only <c>76</c>, Occitanie, is embedded); null keeps every commune.</summary>
    public string? Region { get; init; }

    /// <summary>
    /// NAF rev. 2 codes of <c>activitePrincipaleEtablissement</c>: a full sub-class (<c>29.10Z</c>) matches
    /// itself, anything shorter is a prefix (<c>29.3</c>, <c>45.</c>). Read in upper case; the loader
    /// refuses a code that is not in the embedded nomenclature nor the start of one. Empty keeps every activity.
    /// </summary>
    public List<string> Naf { get; init; } = [];

    /// <summary>Values of <c>etatAdministratifEtablissement</c> kept (<c>A</c> active, <c>F</c> closed); empty keeps both.</summary>
    public List<string> Etat { get; init; } = [];
}

/// <summary>Joins made to the source's rows before they are validated.</summary>
public sealed class EnrichDefinition
{
    public SireneEnrichDefinition? Sirene { get; init; }
}

/// <summary>
/// Joins a Sirene StockEtablissement file to the source by SIRET: the listed Sirene columns become
/// extra source fields (null when the SIRET is not in the file's region; outside it, a restricted
/// establishment gets its restriction only).
/// </summary>
public sealed class SireneEnrichDefinition
{
    /// <summary>The Sirene file, relative to the pipeline's folder unless absolute.</summary>
    public string Path { get; init; } = "";

    /// <summary>The source field holding the SIRET to join on.</summary>
    public string Siret { get; init; } = "siret";

    /// <summary>The region whose establishments are indexed, with the restricted ones of every region (bounds the memory); <c>76</c> by default.</summary>
    public string Region { get; init; } = "76";

    /// <summary>New source field name → Sirene column (one of <see cref="Sources.SireneEnrichment.Columns"/>).</summary>
    public Dictionary<string, string> Fields { get; init; } = [];

    /// <summary>
    /// A source field set to <c>P</c> when Sirene says the establishment's diffusion is restricted
    /// (anything but exactly <c>O</c>): with <c>natural_person_when</c> on that field, Sirene's
    /// restriction always wins over the source's own value.
    /// </summary>
    public string? Restrict { get; init; }

    /// <summary>
    /// Bounds on the Sirene file, its own and not <c>source.limits</c>: those describe the source (a
    /// CRM export of thousands of rows), while INSEE's stock holds about 40 million rows, several GB.
    /// </summary>
    public SireneEnrichLimits Limits { get; init; } = new();
}

/// <summary><c>enrich.sirene.limits</c>: the Sirene file's bounds; the defaults are <c>source.limits</c>' defaults.</summary>
public sealed class SireneEnrichLimits
{
    public long MaxFileBytes { get; init; } = 20L * 1024 * 1024 * 1024;

    public long MaxRows { get; init; } = 100_000_000;

    /// <summary>Longest record (bytes) the reader buffers; past it the run stops (an unclosed quote never fills memory).</summary>
    public int MaxRecordBytes { get; init; } = 1024 * 1024;
}

namespace Automotech.OpenData.Pipelines;

/// <summary>
/// One dataset to publish, as declared in <c>pipelines/&lt;id&gt;/pipeline.yaml</c>; its public
/// contract is the Table Schema in <c>schema.json</c> beside it. Keys are snake_case in YAML.
/// </summary>
public sealed class PipelineDefinition
{
    public string Id { get; set; } = "";

    public DatasetMetadata Metadata { get; init; } = new();

    public SourceDefinition Source { get; init; } = new();

    public ValidationOptions Validation { get; init; } = new();

    public AnonymisationDefinition Anonymisation { get; init; } = new();

    /// <summary>How each published field is computed, keyed by its name in schema.json.</summary>
    public Dictionary<string, FieldRule> Fields { get; init; } = [];

    public OutputOptions Outputs { get; init; } = new();

    /// <summary>For a dataset derived from another one's records (<c>source.kind: derived</c>): how to aggregate them.</summary>
    public Aggregation.AggregateDefinition? Aggregate { get; init; }

    /// <summary>True when this dataset is computed from another pipeline's validated records.</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public bool IsDerived => Source.Kind == "derived";

    /// <summary>Columns joined to the source's rows before validation (<c>enrich.sirene</c>); see docs/sirene.md.</summary>
    public EnrichDefinition? Enrich { get; init; }

    /// <summary>The folder the definition was read from (not a YAML key).</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string Directory { get; set; } = "";

    /// <summary>The published Table Schema, from schema.json (not a YAML key).</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public TableSchema Schema { get; set; } = new();

    /// <summary>The fields the stages after the source see: source.schema, then the fields of <c>enrich</c>.</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public TableSchema InputSchema => Enrich?.Sirene is { } sirene ? Sources.SireneEnrichment.Extend(Source.Schema, sirene) : Source.Schema;

    /// <summary>schema.json exactly as written, reused as-is in datapackage.json.</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string SchemaJson { get; set; } = "";
}

public sealed class DatasetMetadata
{
    public string Title { get; init; } = "";

    public string Description { get; init; } = "";

    public List<string> Keywords { get; init; } = [];

    public LicenceInfo Licence { get; init; } = new();

    public Organisation Publisher { get; init; } = new();

    public Organisation Contact { get; init; } = new();

    /// <summary>The spatial coverage as the pages write it ("Occitanie (région 76)").</summary>
    public string Spatial { get; init; } = "";

    /// <summary>
    /// The départements of Occitanie the data covers (INSEE codes, "09", "31"): catalog.jsonld's
    /// bounding box is theirs. Null (undeclared): the whole region.
    /// </summary>
    public List<string>? SpatialDepartements { get; init; }

    /// <summary>Codes of the EU data-theme vocabulary (<see cref="DataThemes"/>): catalog.jsonld's <c>dcat:theme</c>. Null (undeclared): ECON.</summary>
    public List<string>? Themes { get; init; }

    public string? TemporalStart { get; init; }

    public string UpdateFrequency { get; init; } = "";

    /// <summary>True when the data is fictional demo data: its pages, and the catalogue's own, then say so.</summary>
    public bool Demo { get; init; }

    /// <summary>
    /// What one row is, as a French plural noun ("acteurs", "établissements"), for the charts and the
    /// map ("nombre d'établissements par département"); unset, "lignes".
    /// </summary>
    public string? RowLabel { get; init; }

    /// <summary>Figures counted from the published rows, shown with an anchor on the dataset page.</summary>
    public List<KeyFigure> KeyFigures { get; init; } = [];

    /// <summary>
    /// Bars of the published rows counted by a field's value, on the dataset page in this order.
    /// Null (undeclared): a field named <c>type_acteur</c> is charted, as before charts were declared.
    /// </summary>
    public List<ChartDefinition>? Charts { get; init; }
}

/// <summary>Bars of the published rows, one per value of a published field, with readers' labels.</summary>
public sealed class ChartDefinition
{
    /// <summary>A published field whose values are counted.</summary>
    public string Field { get; init; } = "";

    /// <summary>The chart's heading ("Par type d'acteur").</summary>
    public string Title { get; init; } = "";

    /// <summary>Published value → what the bar says ("pme" → "PME"); a value without one shows as published.</summary>
    public Dictionary<string, string> Labels { get; init; } = [];

    /// <summary><c>count</c> (default: most rows first) or <c>labels</c> (the order of <see cref="Labels"/>, for bands).</summary>
    public string Order { get; init; } = "count";
}

/// <summary>
/// A figure shown with a permanent anchor: the count of published rows matching every
/// <c>where</c> condition, or, with <c>column</c>, the value of that column in the one row that
/// matches (an aggregate), withheld when its <c>status</c> column says it is secret.
/// </summary>
public sealed class KeyFigure
{
    /// <summary>Stable: the figure's anchor is <c>#chiffre-{id}</c>.</summary>
    public string Id { get; init; } = "";

    public string Label { get; init; } = "";

    /// <summary>One line saying exactly what is counted.</summary>
    public string Definition { get; init; } = "";

    /// <summary>Published field → value; a row counts when every one matches.</summary>
    public Dictionary<string, string> Where { get; init; } = [];

    /// <summary>A numeric published column: the figure is its value in the matching row, not a count.</summary>
    public string? Column { get; init; }

    /// <summary>The column saying whether <see cref="Column"/> is published or secret in that row.</summary>
    public string? Status { get; init; }

    /// <summary><c>count</c> (default), <c>eur</c> (also shown in billions/millions of euros).</summary>
    public string Unit { get; init; } = "count";
}

public sealed class LicenceInfo
{
    public string Id { get; init; } = "";

    public string Title { get; init; } = "";

    public string Url { get; init; } = "";
}

public sealed class Organisation
{
    public string Name { get; init; } = "";

    public string? Url { get; init; }

    public string? Email { get; init; }
}

public sealed class SourceDefinition
{
    /// <summary><c>csv</c>, <c>xlsx</c>, <c>http-json</c>, <c>azure-blob</c> (docs/sources.md), <c>sirene</c> (INSEE's StockEtablissement, filtered while read; docs/sirene.md), or <c>derived</c> (the validated records of pipeline <see cref="From"/>).</summary>
    public string Kind { get; init; } = "csv";

    /// <summary>For <c>derived</c>: the pipeline whose validated records are aggregated.</summary>
    public string? From { get; init; }

    /// <summary>For <c>kind: sirene</c>: which establishments to keep (region, NAF codes, administrative state).</summary>
    public SireneFilter? Filter { get; init; }

    /// <summary>csv, xlsx and sirene: relative to the pipeline's folder, unless absolute.</summary>
    public string Path { get; init; } = "";

    /// <summary><c>auto</c> (BOM, then UTF-8 if the bytes are valid UTF-8, else Windows-1252), <c>utf-8</c>, <c>windows-1252</c> or <c>iso-8859-1</c>, or an alias: <see cref="Sources.SourceChecks.Encodings"/>.</summary>
    public string Encoding { get; init; } = "auto";

    /// <summary><c>auto</c> (detected among <c>,</c> <c>;</c> tab <c>|</c>), or one of them (<c>tab</c> or <c>\t</c> for tab): <see cref="Sources.SourceChecks.Delimiters"/>.</summary>
    public string Delimiter { get; init; } = "auto";

    public SourceLimits Limits { get; init; } = new();

    /// <summary>The bundled fictional demo file: only it may run with the built-in demo key.</summary>
    public bool Demo { get; init; }

    /// <summary>The columns of the source, in Table Schema vocabulary, with header aliases.</summary>
    public TableSchema Schema { get; init; } = new();

    // The keys of the other kinds (docs/sources.md); the loader refuses a key its kind does not read (Sources/SourceKeys.cs).

    /// <summary>http-json: the first page's URL (http or https).</summary>
    public string Url { get; init; } = "";

    /// <summary>http-json: dot path to the records array in each page's body; empty when the body is the array.</summary>
    public string Items { get; init; } = "";

    public HttpPaging Paging { get; init; } = new();

    public HttpAuth Auth { get; init; } = new();

    public HttpOptions Http { get; init; } = new();

    /// <summary>http-json: nested objects and arrays <c>reject</c> their record (default) or are <c>flatten</c>ed.</summary>
    public string Nested { get; init; } = "reject";

    /// <summary>xlsx: the sheet's name; the workbook's first sheet when absent.</summary>
    public string? Sheet { get; init; }

    /// <summary>xlsx: 1, or 2 for a two-row header whose top labels (merged or not) prefix the labels below.</summary>
    public int HeaderRows { get; init; } = 1;

    /// <summary>
    /// xlsx: the Excel row number of the header (its first row with <c>header_rows: 2</c>); rows
    /// above it (a title, notes) are skipped. The first non-empty row when absent.
    /// </summary>
    public int? HeaderRow { get; init; }

    /// <summary>azure-blob: the container.</summary>
    public string Container { get; init; } = "";

    /// <summary>azure-blob: the blob's name in its container.</summary>
    public string Blob { get; init; } = "";

    /// <summary>azure-blob: the configuration key holding the storage connection string (the secret itself never is in the YAML).</summary>
    public string ConnectionSetting { get; init; } = "";

    /// <summary>azure-blob: <c>csv</c> or <c>xlsx</c>; from the blob's extension when absent.</summary>
    public string? Format { get; init; }

    /// <summary>azure-blob: pins the storage REST API version (emulators such as Azurite); the SDK's when absent.</summary>
    public string? ServiceVersion { get; init; }
}

/// <summary>Bounds on a source, so that a hostile or broken file fails clearly instead of exhausting the machine.</summary>
public sealed class SourceLimits
{
    public long MaxFileBytes { get; init; } = 20L * 1024 * 1024 * 1024;

    public long MaxRows { get; init; } = 100_000_000;

    /// <summary>Longest cell accepted; a longer one rejects its row.</summary>
    public int MaxFieldChars { get; init; } = 10_000;

    /// <summary>Longest record (bytes) the reader buffers; past it the run stops (a 2 GB line never fills memory).</summary>
    public int MaxRecordBytes { get; init; } = 1024 * 1024;

    /// <summary>http-json: largest page body accepted.</summary>
    public long MaxPageBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>http-json: most pages read; past it the run stops (a server that pages forever).</summary>
    public int MaxPages { get; init; } = 100_000;
}

public sealed class ValidationOptions
{
    /// <summary>Rejected rows / rows read above which the run fails and publishes nothing.</summary>
    public double MaxErrorRatio { get; init; } = 0.05;

    /// <summary>
    /// Published text cells that start with = + - @ tab or CR: <c>reject</c> the row (default), or
    /// <c>neutralise</c> the cell in the CSV output (prefixed with a quote, as OWASP advises).
    /// </summary>
    public string FormulaCells { get; init; } = "reject";

    /// <summary>Checks across fields: a postcode of its commune, a position near it.</summary>
    public List<Validation.RowCheckDefinition> RowChecks { get; init; } = [];
}

public sealed class AnonymisationDefinition
{
    /// <summary>A row is a natural person's when any of these conditions holds.</summary>
    public List<RowCondition> NaturalPersonWhen { get; init; } = [];

    /// <summary>Source fields that are never published (contact persons, internal ids...).</summary>
    public List<string> Drop { get; init; } = [];

    /// <summary>k-anonymity of the natural persons' published rows; null when not declared.</summary>
    public KAnonymityDefinition? KAnonymity { get; init; }
}

/// <summary>
/// Every combination of quasi-identifier values published for natural persons is shared by at
/// least <see cref="K"/> of their rows. Rows in smaller groups take the generalisation steps in
/// order (each replaces some field rules); rows still in groups below k are not published.
/// </summary>
public sealed class KAnonymityDefinition
{
    public int K { get; init; } = 3;

    /// <summary>Published fields whose combination could single a person out (commune, activity, size...).</summary>
    public List<string> QuasiIdentifiers { get; init; } = [];

    public List<GeneralisationStep> Steps { get; init; } = [];
}

/// <summary>One step of generalisation: published field → the rule that replaces its natural-person rule.</summary>
public sealed class GeneralisationStep
{
    /// <summary>Stable id, shown in the privacy report.</summary>
    public string Id { get; init; } = "";

    /// <summary>What the step does, in words (French, for the report).</summary>
    public string Label { get; init; } = "";

    public Dictionary<string, FieldRule> Fields { get; init; } = [];
}

public sealed class RowCondition
{
    public string Field { get; init; } = "";

    public List<string> In { get; init; } = [];
}

/// <summary>
/// How one published field is computed from a source row: a source field (<c>from</c>) or a
/// constant (<c>value</c>), then at most one of <c>transform</c>, <c>map</c> or <c>bands</c>.
/// <c>natural_person</c> replaces the rule for natural persons' rows; <c>drop: true</c> there
/// publishes nothing.
/// </summary>
public sealed class FieldRule
{
    public string? From { get; init; }

    public string? Value { get; init; }

    public string? Transform { get; init; }

    public Dictionary<string, string>? Map { get; init; }

    /// <summary>
    /// With <see cref="Map"/>: what a value it does not list becomes, <c>keep</c> (published
    /// unchanged) or <c>empty</c> (published empty). Without it the loader requires the source
    /// field's enum to hold only listed values, so no unlisted value reaches the map.
    /// </summary>
    public string? Otherwise { get; init; }

    public List<Band>? Bands { get; init; }

    public bool Drop { get; init; }

    public FieldRule? NaturalPerson { get; init; }
}

/// <summary>A band of a numeric value: the first band whose <c>below</c> exceeds the value.</summary>
public sealed class Band
{
    public decimal? Below { get; init; }

    public string Label { get; init; } = "";
}

public sealed class OutputOptions
{
    /// <summary>csv, parquet and geojson.</summary>
    public List<string> Formats { get; init; } = ["csv", "parquet"];

    /// <summary>The field a position's latitude is read from when <see cref="Latitude"/> is not declared, as before it could be.</summary>
    public const string DefaultLatitude = "latitude";

    /// <summary>The field a position's longitude is read from when <see cref="Longitude"/> is not declared.</summary>
    public const string DefaultLongitude = "longitude";

    /// <summary>The field a row's département is read from when <see cref="Departement"/> is not declared.</summary>
    public const string DefaultDepartement = "code_departement";

    /// <summary>
    /// The published number field holding each row's latitude (WGS 84): the GeoJSON's points and
    /// the page's map's. Declared with <see cref="Longitude"/> or not at all; null (undeclared): the
    /// field named <see cref="DefaultLatitude"/>.
    /// </summary>
    public string? Latitude { get; init; }

    /// <summary>The published number field holding each row's longitude; null (undeclared): <see cref="DefaultLongitude"/>.</summary>
    public string? Longitude { get; init; }

    /// <summary>
    /// The published field holding each row's département code: the page's bars by département and
    /// the map's shades. Null (undeclared): the field named <see cref="DefaultDepartement"/>.
    /// </summary>
    public string? Departement { get; init; }

    /// <summary>The latitude's field, declared or by default.</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string LatitudeField => Latitude ?? DefaultLatitude;

    /// <summary>The longitude's field, declared or by default.</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string LongitudeField => Longitude ?? DefaultLongitude;

    /// <summary>The département's field, declared or by default.</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string DepartementField => Departement ?? DefaultDepartement;

    /// <summary>A published field: Parquet is also written Hive-partitioned by it (<c>&lt;id&gt;/&lt;field&gt;=&lt;value&gt;/part-0.parquet</c>).</summary>
    public string? PartitionBy { get; init; }

    /// <summary>Distinct values of <see cref="PartitionBy"/> allowed before the run fails (each is an open file).</summary>
    public int MaxPartitions { get; init; } = 200;
}

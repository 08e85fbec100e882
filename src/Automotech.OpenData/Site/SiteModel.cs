using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Site;

/// <summary>What the catalogue pages show: one entry per published dataset.</summary>
public sealed record SiteModel(IReadOnlyList<DatasetPage> Datasets)
{
    /// <summary>Any dataset is fictional demo data: the catalogue's own pages then carry the banner (a dataset's pages follow its own flag).</summary>
    public bool Demo => Datasets.Any(d => d.Demo);

    /// <summary>Every dataset is fictional: the catalogue's own pages may then call the whole catalogue invented.</summary>
    public bool AllDemo => Datasets.Count > 0 && Datasets.All(d => d.Demo);

    /// <summary>The titles of the fictional datasets, for the catalogue's own pages when real ones sit beside them.</summary>
    public IReadOnlyList<string> DemoTitles => [.. Datasets.Where(d => d.Demo).Select(d => d.Title)];

    /// <summary>Any dataset was pseudonymised with the built-in demo key.</summary>
    public bool DemoKey => Datasets.Any(d => d.Privacy.DemoKey);

    /// <summary>
    /// The licence every dataset is published under, for the pages that speak for the whole
    /// catalogue (footer, about page); null when the datasets' licences differ, and each page then
    /// sends to the dataset's own.
    /// </summary>
    public SiteLicence? Licence => Datasets.Select(d => new SiteLicence(d.LicenceTitle, d.LicenceUrl)).Distinct().ToList() is [var only] ? only : null;

    /// <summary>
    /// The datasets that withhold source fields or apply a privacy rule to a published one: the
    /// about page lists them instead of describing the bundled acteurs' rules as every dataset's.
    /// </summary>
    public IReadOnlyList<DatasetPage> WithPrivacyRules => [.. Datasets.Where(d => d.PrivacyRules.Count > 0 || d.Privacy.DroppedFields.Count > 0)];

    /// <summary>The datasets whose natural persons' rows are held to k-anonymity.</summary>
    public IReadOnlyList<DatasetPage> WithKAnonymity => [.. Datasets.Where(d => d.Privacy.KAnonymity is not null)];

    /// <summary>The aggregate datasets that apply statistical secret.</summary>
    public IReadOnlyList<DatasetPage> WithSecret => [.. Datasets.Where(d => d.Privacy.Secret is not null)];

    /// <summary>Any dataset publishes pseudonyms.</summary>
    public bool Pseudonyms => Datasets.Any(d => d.Privacy.Rules.Any(r => r.Kind == "pseudonymise"));

    /// <summary>Any dataset scrubs free text.</summary>
    public bool Scrubs => Datasets.Any(d => d.Privacy.Rules.Any(r => r.Kind == "scrub"));

    /// <summary>The figures read from aggregate datasets (chiffres-cles), for the home page.</summary>
    public IReadOnlyList<KeyFigureValue> HomeFigures => [.. Datasets.SelectMany(d => d.KeyFigures).Where(k => k.FromColumn)];
}

/// <summary>A licence as the pages link it.</summary>
public sealed record SiteLicence(string Title, string Url)
{
    /// <summary>Etalab's Licence Ouverte, whose terms the about page can sum up in one line.</summary>
    public bool Etalab => Url.Contains("etalab.gouv.fr/licence-ouverte", StringComparison.Ordinal);
}

/// <summary>One dataset as its page shows it, at one version.</summary>
public sealed record DatasetPage
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required string Description { get; init; }

    public required IReadOnlyList<string> Keywords { get; init; }

    public required string LicenceTitle { get; init; }

    public required string LicenceUrl { get; init; }

    public required string PublisherName { get; init; }

    public string? PublisherUrl { get; init; }

    public required string ContactName { get; init; }

    public string? ContactEmail { get; init; }

    public required string Spatial { get; init; }

    /// <summary>The départements declared as the spatial coverage (datapackage.json's <c>spatialDepartements</c>), or null: the whole region.</summary>
    public IReadOnlyList<string>? SpatialDepartements { get; init; }

    /// <summary>
    /// The départements the coverage is made of: those declared that have contours (each once, in the
    /// order declared), or null when none is, for the whole region.
    /// </summary>
    public IReadOnlyList<string>? CoverageDepartements =>
        SpatialDepartements?.Where(Reference.SpatialCoverage.Departements.Contains).Distinct(StringComparer.Ordinal).ToList() is { Count: > 0 } declared ? declared : null;

    /// <summary>The coverage's name, as the pages, schema.org and catalog.jsonld give it: <c>spatial</c> as written, or, left empty, the names of the départements declared.</summary>
    public string SpatialLabel => Spatial.Length > 0 || CoverageDepartements is not { } departements
        ? Spatial
        : string.Join(", ", departements.Select(c => Reference.Geography.Occitanie.FindDepartement(c)?.Name ?? c));

    /// <summary>The coverage's bounding box: of the départements declared (<see cref="CoverageDepartements"/>), else of the whole region.</summary>
    public Reference.SpatialCoverage.Box SpatialBox => Reference.SpatialCoverage.Of(CoverageDepartements);

    /// <summary>Codes of the EU data-theme vocabulary (datapackage.json's <c>themes</c>), or null: ECON, as before they could be declared.</summary>
    public IReadOnlyList<string>? Themes { get; init; }

    /// <summary>
    /// The dataset's themes as catalog.jsonld names them (<c>dcat:theme</c>) and its pages show them:
    /// each declared code with its French label and URI in the EU vocabulary; none declared, ECON.
    /// </summary>
    public IReadOnlyList<ThemeConcept> ThemeConcepts => [.. Pipelines.DataThemes.Effective(Themes)
        .Select(code => new ThemeConcept(code, Pipelines.DataThemes.Label(code), Pipelines.DataThemes.Uri(code)))];

    public string? TemporalStart { get; init; }

    /// <summary>The coverage's start as the page writes it, "1er janvier 2007" (TemporalStart stays ISO for schema.org and DCAT).</summary>
    public string? TemporalStartText => TemporalStart is null ? null
        : DateOnly.TryParseExact(TemporalStart, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var start) ? PublicationTime.LongDate(start)
        : TemporalStart;

    public required string UpdateFrequency { get; init; }

    public bool Demo { get; init; }

    public required string Version { get; init; }

    public required string LatestVersion { get; init; }

    /// <summary>"25 novembre 2026 à 18:40" (Paris time).</summary>
    public required string Published { get; init; }

    public required string PublishedIso { get; init; }

    /// <summary>When the dataset's first version was published (ISO 8601, UTC): the dataset's <c>dct:issued</c>.</summary>
    public string FirstPublishedIso { get; init; } = "";

    public long Rows { get; init; }

    public required IReadOnlyList<Download> Downloads { get; init; }

    public required IReadOnlyList<DictionaryEntry> Fields { get; init; }

    public required IReadOnlyList<string> PreviewHeaders { get; init; }

    public required IReadOnlyList<IReadOnlyList<string>> PreviewRows { get; init; }

    /// <summary>Newest first.</summary>
    public required IReadOnlyList<VersionEntry> Versions { get; init; }

    public required ValidationSummary Validation { get; init; }

    public required PrivacySummary Privacy { get; init; }

    /// <summary>Why this version exists when its rows are the previous version's (<see cref="DatasetPageBuilder.SameRows"/>), or null.</summary>
    public string? SameRows { get; init; }

    /// <summary>This version's changelog (fields changed), when read from its folder.</summary>
    public Changelog? Changelog { get; init; }

    /// <summary>How this version's published schema differs from the previous version's, in French; null when it does not (or for a first version).</summary>
    public StructureNote? Structure { get; init; }

    /// <summary>How to cite this version (set by the renderer, which knows the base URL).</summary>
    public Citation? Citation { get; init; }

    /// <summary>"nombre d'acteurs", "nombre de lignes": what the charts and the map count (metadata.row_label).</summary>
    public string CountOf { get; init; } = "nombre de lignes";

    /// <summary>The declared charts (metadata.charts) that have rows to count, in their order.</summary>
    public IReadOnlyList<DatasetChart> Charts { get; init; } = [];

    /// <summary>
    /// The CSV column the bars by département and the map's shades count (<c>outputs.departement</c>,
    /// as datapackage.json's <c>geoFields</c> names it; <c>code_departement</c> when it does not).
    /// </summary>
    public string DepartementField { get; init; } = Pipelines.OutputOptions.DefaultDepartement;

    /// <summary>The CSV column of the map's latitudes (<c>outputs.latitude</c>; <c>latitude</c> when undeclared): the privacy rules on it say how precise the points are.</summary>
    public string LatitudeField { get; init; } = Pipelines.OutputOptions.DefaultLatitude;

    /// <summary>Bars of rows by <see cref="DepartementField"/>, when the dataset has that field.</summary>
    public TrustedHtml? DepartementChart { get; init; }

    /// <summary>
    /// The départements map: shaded by count, with the positions, when the rows are counted by
    /// département (<see cref="MapShaded"/>); else the départements' outlines with the positions.
    /// </summary>
    public TrustedHtml? Map { get; init; }

    /// <summary>
    /// Whether <see cref="Map"/> shades the départements by count (with its legend and table of
    /// counts); false for a map of positions on the départements' outlines, whose rows have no
    /// département (<see cref="DepartementField"/> absent or empty), and without a map.
    /// </summary>
    public bool MapShaded { get; init; }

    /// <summary>The map's shades and the counts each stands for, from this version's counts; empty without a map.</summary>
    public IReadOnlyList<MapShade> MapLegend { get; init; } = [];

    /// <summary>
    /// When the map could not draw every published position (more than <see cref="DatasetFigures.MaxPoints"/>):
    /// how many it drew (the sample's points inside its frame), of how many, one row in how many;
    /// null when it drew them all.
    /// </summary>
    public string? MapSample { get; init; }

    /// <summary>
    /// What the map leaves out, said under it: on the shaded map, the rows in départements it does
    /// not draw (« départements hors de la carte, non dessinés ni pris dans l'échelle des teintes : 75 : 12, 69 : 3 »),
    /// which the table of the map's figures lists; on either map, then, the points outside its
    /// frame (« 2 points hors du cadre de la carte, non dessinés »), which its description says
    /// too; null when everything is drawn.
    /// </summary>
    public string? MapNotDrawn { get; init; }

    public IReadOnlyList<KeyFigureValue> KeyFigures { get; init; } = [];

    /// <summary>The map's figures as a table (its accessible alternative).</summary>
    public IReadOnlyList<NamedCount> CountsByDepartement { get; init; } = [];

    /// <summary>The schema.org JSON-LD embedded in the page.</summary>
    public TrustedHtml? SchemaOrgJson { get; init; }

    /// <summary>The privacy report's rules, in French.</summary>
    public IReadOnlyList<PrivacyRuleView> PrivacyRules => [.. Privacy.Rules.Select(r => new PrivacyRuleView(
        r.Field,
        r.Kind switch
        {
            "pseudonymise" => "pseudonymisation",
            "generalise" => "généralisation",
            "coarsen" => "localisation moins précise",
            "scrub" => "nettoyage du texte libre",
            "withhold" => "retrait",
            _ => r.Kind,
        },
        r.Scope == Anonymisation.PrivacyRule.NaturalPersons ? "entrepreneurs individuels" : "toutes les lignes",
        r.Detail))];

    /// <summary>
    /// How precise the map's points are, from the privacy rules that coarsen the latitude (<see cref="LatitudeField"/>): "positions
    /// publiées (entrepreneurs individuels : position ramenée au centre de la commune, puis k-anonymat…)",
    /// "(toutes les lignes : …)" when every row is coarsened, or plain "positions publiées".
    /// </summary>
    public string MapPositionNote
    {
        get
        {
            var scopes = PrivacyRules.Where(r => r.Field == LatitudeField && r.Kind == "localisation moins précise")
                .GroupBy(r => r.Scope)
                .Select(g => $"{g.Key} : {string.Join(", puis ", g.Select(r => r.Detail))}")
                .ToList();
            return "points : positions publiées" + (scopes.Count == 0 ? "" : $" ({string.Join(" ; ", scopes)})");
        }
    }

    /// <summary>
    /// The dataset's privacy rules in one line, for the about page: "12 champs de la source jamais
    /// publiés ; pseudonymisation, généralisation…" (the kinds in the order of the rules).
    /// </summary>
    public string PrivacyOverview
    {
        get
        {
            var parts = new List<string>();
            if (Privacy.DroppedFields.Count > 0)
            {
                parts.Add(KeyFigureFormat.Agreed(Privacy.DroppedFields.Count, "champ de la source jamais publié", "champs de la source jamais publiés"));
            }

            var kinds = PrivacyRules.Select(r => r.Kind).Distinct(StringComparer.Ordinal).ToList();
            if (kinds.Count > 0)
            {
                parts.Add(string.Join(", ", kinds));
            }

            return string.Join(" ; ", parts);
        }
    }

    /// <summary>"1 entrepreneur individuel", "12 entrepreneurs individuels": the natural persons' rows read from the source.</summary>
    public string NaturalPersonCount => KeyFigureFormat.Agreed(Privacy.NaturalPersonRows, "entrepreneur individuel", "entrepreneurs individuels");

    /// <summary>Whether a rule of the dataset applies to natural persons' rows only.</summary>
    public bool NaturalPersonRules => Privacy.Rules.Any(r => r.Scope == Anonymisation.PrivacyRule.NaturalPersons);

    /// <summary>Markers put in free text, by kind.</summary>
    public IReadOnlyList<NamedCount> PrivacyMarkers => [.. Privacy.Scrubbed.Where(m => m.Key != Anonymisation.ScrubCounter.WithheldKind).Select(m => new NamedCount(m.Key switch
    {
        "courriel" => "adresses électroniques",
        "telephone" => "numéros de téléphone",
        "iban" => "IBAN",
        "lien-personnel" => "liens vers des profils personnels",
        "date-naissance" => "dates de naissance",
        "nom" => "noms précédés d'une civilité ou d'une fonction",
        _ => m.Key,
    }, m.Value))];

    /// <summary>Values withheld by <c>drop_if_personal</c> (a website that is someone's profile), or null when no rule does so.</summary>
    public long? PrivacyWithheld => Privacy.Scrubbed.TryGetValue(Anonymisation.ScrubCounter.WithheldKind, out var count) ? count : null;

    public IReadOnlyList<string> Formats => Downloads.Where(d => d.Format != "json").Select(d => d.Format.ToUpperInvariant()).Distinct().ToList();

    /// <summary>The data formats published, as their names are written (CSV, Parquet, GeoJSON), for the about page.</summary>
    public IReadOnlyList<string> FormatNames => Downloads.Where(d => d.Format != "json").Select(d => d.FormatName).Distinct().ToList();

    /// <summary>A table computed from another dataset's records (<c>source.kind: derived</c>), as its datapackage.json says.</summary>
    public bool Aggregate { get; init; }

    /// <summary>The version's CSV file, or null when the dataset publishes none (its page then says nothing of spreadsheets).</summary>
    public Download? CsvFile => Files.FirstOrDefault(d => d.Format == "csv");

    /// <summary>The files at the dataset's top level: the downloads table's rows.</summary>
    public IReadOnlyList<Download> Files => [.. Downloads.Where(d => !d.Name.Contains('/', StringComparison.Ordinal))];

    /// <summary>
    /// The parts of each Hive-style partitioned output (<c>stem/column=value/part-N.parquet</c>),
    /// one group per folder: a page shows the group on one line and lists its parts on demand.
    /// </summary>
    public IReadOnlyList<PartitionGroup> Partitions => [.. Downloads
        .Where(d => d.Name.Contains('/', StringComparison.Ordinal))
        .GroupBy(d => d.Name[..d.Name.IndexOf('/', StringComparison.Ordinal)], StringComparer.Ordinal)
        .Select(g => new PartitionGroup(
            g.Key,
            [.. g.SelectMany(d => d.Name.Split('/').Where(s => s.Contains('=', StringComparison.Ordinal)).Select(s => s[..s.IndexOf('=', StringComparison.Ordinal)])).Distinct(StringComparer.Ordinal)],
            [.. g.Select(d => d.FormatName).Distinct(StringComparer.Ordinal)],
            DatasetPageBuilder.FormatSize(g.Sum(d => d.Bytes)),
            [.. g]))];
}

/// <summary>A partitioned output: its folder, the columns it is split by, its formats, its total size and its parts.</summary>
public sealed record PartitionGroup(string Folder, IReadOnlyList<string> Columns, IReadOnlyList<string> Formats, string Size, IReadOnlyList<Download> Parts)
{
    /// <summary>A part's path with each value left out: <c>acteurs/code_departement=…/part-0.parquet</c>.</summary>
    public string Example => $"{Folder}/{string.Concat(Columns.Select(c => $"{c}=…/"))}part-0.parquet";

    /// <summary>The glob that reads every part, one <c>*</c> per partition level.</summary>
    public string Glob => $"{Folder}/{string.Concat(Columns.Select(_ => "*/"))}*.parquet";
}

/// <summary>A concept of the EU data-theme vocabulary: its code, its French label and its URI.</summary>
public sealed record ThemeConcept(string Code, string Label, string Uri);

/// <summary>A downloadable file: the stable <c>latest/</c> URL and the versioned one (relative to the dataset folder).</summary>
public sealed record Download(string Name, string Format, string MediaType, long Bytes, string Size, string Sha256, string LatestHref, string VersionHref)
{
    /// <summary>The format as its name is written (CSV, Parquet, GeoJSON, JSON), where pages wrote PARQUET and GEOJSON.</summary>
    public string FormatName => FormatNameOf(Format);

    /// <summary>A file extension's format as its name is written; an unknown one in capitals.</summary>
    public static string FormatNameOf(string format) => format switch
    {
        "csv" => "CSV",
        "parquet" => "Parquet",
        "geojson" => "GeoJSON",
        "json" => "JSON",
        var other => other.ToUpperInvariant(),
    };
}

/// <summary>One field of the data dictionary.</summary>
public sealed record DictionaryEntry(string Name, string Type, string Title, string Description, bool Required, string Constraints);

public sealed record NamedCount(string Name, long Count);

/// <summary>One protective rule as the privacy report shows it.</summary>
public sealed record PrivacyRuleView(string Field, string Kind, string Scope, string Detail);

/// <summary>
/// A key figure as pages show it: the exact value (or why there is none), a rounded reading
/// for large amounts, its definition, and the dataset version it comes from.
/// </summary>
public sealed record KeyFigureValue(string Id, string Label, string Value, string? Rounded, string Definition, bool Withheld, string Version, string DatasetId, bool FromColumn)
{
    /// <summary>How to find the figure in the published data: the file of that version, the row, the column (or the rows counted).</summary>
    public string Recompute { get; init; } = "";

    public static KeyFigureValue Of(KeyFigureDeclaration k, long? value, string? status, string version, string datasetId)
    {
        var withheld = value is null;
        var text = value is { } v ? KeyFigureFormat.Exact(v, k.Unit)
            : status is "secret-primaire" or "secret-secondaire" ? "secret statistique"
            : "non disponible";
        var conditions = string.Join(" et ", k.Where.Select(w => $"{w.Field} = {w.Value}"));
        var recompute = k.Column is { } column
            ? $"Pour le recalculer : {datasetId}.csv de la version {version}, {(conditions.Length == 0 ? "la ligne" : $"la ligne où {conditions}")}, colonne {column}."
            : $"Pour le recalculer : {datasetId}.csv de la version {version}, nombre de lignes{(conditions.Length == 0 ? "" : $" où {conditions}")}.";
        return new KeyFigureValue(k.Id, k.Label, text, value is { } r ? KeyFigureFormat.Rounded(r, k.Unit) : null, k.Definition, withheld, version, datasetId, k.Column is not null) { Recompute = recompute };
    }
}

public sealed record VersionEntry(string Version, string Published, long Rows, bool IsLatest, ChangeSummary? Changes, bool SameRows = false);

/// <summary>
/// A declared chart on the dataset page: its heading, its bars, the CSV column it counts, and how
/// the labelled bars are written in that column (« PME : pme »), so that a reader can count them
/// in the file.
/// </summary>
public sealed record DatasetChart(string Title, TrustedHtml Svg, string Field, IReadOnlyList<string> Codes);

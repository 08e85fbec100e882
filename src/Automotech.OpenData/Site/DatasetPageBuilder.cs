using Automotech.OpenData.Publishing;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Automotech.OpenData.Releases;
using CsvHelper;

namespace Automotech.OpenData.Site;

/// <summary>
/// Builds a dataset's page from what is published, and nothing else: its version's
/// <c>datapackage.json</c>, its entry in <c>releases.json</c> and the first rows of its CSV.
/// So a page can be rendered again on any later run, from the target alone.
/// </summary>
public static class DatasetPageBuilder
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>Rows shown in a dataset page's preview.</summary>
    public const int PreviewRows = 10;

    public static DatasetPage Build(Stream dataPackage, DatasetReleases releases, ReleaseVersion shown, Stream? csv, Changelog? changelog = null)
    {
        using var doc = JsonDocument.Parse(dataPackage);
        var p = doc.RootElement;
        var licence = p.GetProperty("licenses")[0];
        var contributors = p.GetProperty("contributors").EnumerateArray().ToList();
        var publisher = contributors.Find(c => Str(c, "role") == "publisher");
        var contact = contributors.Find(c => Str(c, "role") is Writers.DataPackage.ContactRole or Writers.DataPackage.LegacyContactRole);
        var schema = p.GetProperty("resources")[0].GetProperty("schema");
        var declarations = Declarations(p);
        var figures = declarations.Figures();
        var geoFields = declarations.Geo;

        // An aggregate's rows are table cells, not actors: no counts, charts or map from them.
        var aggregate = declarations.Aggregate;
        var (headers, rows) = csv is null ? ([], []) : Read(csv, PreviewRows, figures, aggregate ? null : geoFields, positions: true);
        var title = Str(p, "title") ?? releases.Id;
        var countOf = CountOf(Str(p, "rowLabel") ?? "lignes");
        var latest = releases.Latest!;

        // The map: the départements shaded by count when the rows are counted by département (with
        // the points of the positions, if any); else, when rows have positions, their points on the
        // départements' outlines, unshaded (nothing is counted by département: no shade, legend,
        // bars or table says otherwise); else none.
        var shaded = figures.ByDepartement.Count > 0;
        var outlined = !shaded && figures.Points.Count > 0;

        // On either map, a point outside the frame (Charts.OutsideFrame) is not drawn, and its
        // description and caption say how many (outsideNote). Of a sample, the points drawn are
        // those inside the frame: « 2 940 points dessinés sur 6 000 positions (une ligne sur 2…) ;
        // 60 points hors du cadre de la carte, non dessinés » add up to the one row in two.
        var outside = Charts.OutsideFrame(figures);
        var mapSample = figures.Points.Count == figures.Located ? null
            : $"{KeyFigureFormat.Agreed(figures.Points.Count - outside, "point dessiné", "points dessinés")} sur {KeyFigureFormat.Count(figures.Located)} positions (une ligne sur {KeyFigureFormat.Count(figures.Stride)}, dans l'ordre du fichier)";
        var outsideNote = outside == 0 ? null
            : outside == 1 ? "1 point hors du cadre de la carte, non dessiné" : $"{KeyFigureFormat.Count(outside)} points hors du cadre de la carte, non dessinés";

        // What the outline map's description says of its points: the sample, or how many, and those not drawn.
        var outlinePoints = Notes(
            mapSample ?? (outside > 0
                ? KeyFigureFormat.Agreed(figures.Located, "position publiée", "positions publiées")
                : KeyFigureFormat.Agreed(figures.Located, "position publiée, dessinée en point", "positions publiées, dessinées en points")),
            outsideNote)!;
        return new DatasetPage
        {
            Id = releases.Id,
            Title = Str(p, "title") ?? releases.Id,
            Description = Str(p, "description") ?? "",
            Keywords = p.TryGetProperty("keywords", out var k) ? k.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [],
            LicenceTitle = Str(licence, "title") ?? Str(licence, "name") ?? "",
            LicenceUrl = Str(licence, "path") ?? "",
            PublisherName = Str(publisher, "title") ?? "",
            PublisherUrl = Str(publisher, "path"),
            ContactName = Str(contact, "title") ?? "",
            ContactEmail = Str(contact, "email"),
            Spatial = Str(p, "spatial") ?? "",
            SpatialDepartements = Strings(p, "spatialDepartements"),
            Themes = Strings(p, "themes"),
            TemporalStart = Str(p, "temporalStart"),
            UpdateFrequency = Str(p, "updateFrequency") ?? "",
            Demo = p.TryGetProperty("demo", out var demo) && demo.ValueKind == JsonValueKind.True,
            Aggregate = aggregate,
            Version = shown.Version,
            LatestVersion = latest.Version,
            Published = PublicationTime.Format(shown.Published),
            PublishedIso = PublicationTime.Iso(shown.Published),
            FirstPublishedIso = PublicationTime.Iso(releases.Versions[0].Published),
            Rows = shown.Rows,
            Downloads = shown.Files.Select(f => new Download(
                f.Name,
                Path.GetExtension(f.Name).TrimStart('.'),
                f.MediaType,
                f.Bytes,
                FormatSize(f.Bytes),
                f.Sha256,
                $"latest/{PublishedFiles.UrlPath(f.Name)}",
                $"{PublishedFiles.UrlPath(shown.Version)}/{PublishedFiles.UrlPath(f.Name)}")).ToList(),
            Fields = schema.GetProperty("fields").EnumerateArray().Select(Entry).ToList(),
            PreviewHeaders = headers,
            PreviewRows = rows,
            Versions = releases.Versions.AsEnumerable().Reverse()
                .Select(v => new VersionEntry(v.Version, PublicationTime.Format(v.Published), v.Rows, v.Version == latest.Version, v.Changes, SameRows(releases, v) is not null))
                .ToList(),
            SameRows = SameRows(releases, shown),
            Validation = shown.Validation,
            Privacy = shown.Privacy,
            Changelog = changelog,
            Structure = StructureNote.Of(changelog?.Previous, changelog?.Structure),
            CountOf = countOf,
            DepartementField = geoFields.Departement,
            LatitudeField = geoFields.Latitude,
            Charts = [.. DrawnCharts(figures).Select(c => new DatasetChart(
                c.Title,
                Charts.Bars(ChartName(title, countOf, c.Title), [.. c.Bars.Select(b => (b.Label, b.Count))]),
                c.Field,
                [.. c.Bars.Where(b => b.Value is not null && b.Value != b.Label).Select(b => $"{b.Label} : {b.Value}")]))],
            DepartementChart = figures.ByDepartement.Count == 0 ? null : Charts.Bars($"{title} : {countOf} par département", [.. DepartementBars(figures).Select(d => (d.Label, d.Count))]),
            Map = shaded ? Charts.Map($"Carte des départements d'Occitanie : {countOf} et positions publiées ({title})", figures, Notes(mapSample, outsideNote))
                : outlined ? Charts.Outline($"Carte des départements d'Occitanie : positions publiées ({title})", figures, outlinePoints)
                : null,
            MapShaded = shaded,
            MapLegend = shaded ? Charts.Legend(figures) : [],
            MapSample = shaded || outlined ? mapSample : null,
            MapNotDrawn = Notes(shaded ? NotDrawnNote(figures) : null, outsideNote),
            CountsByDepartement = MapCounts(figures).Select(c => new NamedCount(c.Label, c.Count)).ToList(),
            KeyFigures = KeyFigureValues(figures, shown.Version, releases.Id),
        };
    }

    /// <summary>
    /// The key figures a version's <c>datapackage.json</c> declares (<c>keyFigures</c>), in its
    /// order; none when it declares none. The page's and <c>verify</c>'s one reading of them.
    /// </summary>
    public static List<KeyFigureDeclaration> KeyFigureDeclarations(JsonElement dataPackage)
    {
        var declarations = new List<KeyFigureDeclaration>();
        if (dataPackage.TryGetProperty("keyFigures", out var keyFigures))
        {
            foreach (var figure in keyFigures.EnumerateArray())
            {
                declarations.Add(new KeyFigureDeclaration(
                    Str(figure, "id") ?? "", Str(figure, "label") ?? "", Str(figure, "definition") ?? "",
                    figure.GetProperty("where").EnumerateObject().Select(w => (w.Name, w.Value.GetString() ?? "")).ToList(),
                    Str(figure, "column"), Str(figure, "status"), Str(figure, "unit") ?? "count"));
            }
        }

        return declarations;
    }

    /// <summary>
    /// The CSV a version's page counts its key figures, charts and map from: the first CSV file
    /// <c>releases.json</c> lists for the version (<c>&lt;id&gt;.csv</c>); null when it lists none.
    /// </summary>
    public static ReleaseFile? FiguresCsv(ReleaseVersion version) =>
        version.Files?.Find(f => f?.Name is { } name && name.EndsWith(".csv", StringComparison.Ordinal));

    /// <summary>
    /// What a version's <c>datapackage.json</c> declares that its page counts in the CSV: its key
    /// figures (<see cref="KeyFigureDeclarations"/>), its charts (<c>charts</c>; type_acteur's for
    /// a package that declares none, as packages published before charts were declared), the
    /// columns of its positions and départements (<c>geoFields</c>, each by its name of before when
    /// not named) and whether it is an aggregate (no charts or map). The page's and <c>verify</c>'s
    /// one reading of them.
    /// </summary>
    public static PageDeclarations Declarations(JsonElement dataPackage)
    {
        var charts = new List<ChartDeclaration>();
        if (dataPackage.TryGetProperty("charts", out var declared))
        {
            foreach (var chart in declared.EnumerateArray())
            {
                var labels = chart.TryGetProperty("labels", out var l) ? l.EnumerateObject().Select(x => KeyValuePair.Create(x.Name, x.Value.GetString() ?? x.Name)).ToList() : [];
                charts.Add(new ChartDeclaration(Str(chart, "field") ?? "", Str(chart, "title") ?? "", labels, Str(chart, "order") ?? "count"));
            }
        }
        else
        {
            // Packages published before charts were declared, and definitions that declare none.
            charts.Add(new ChartDeclaration("type_acteur", "Par type d'acteur", [], "count", Undeclared: true));
        }

        // The fields declared in the definition (outputs.latitude…), each read by its name of before
        // when the package does not name it: the pages of older versions are rendered as they were.
        var geo = dataPackage.TryGetProperty(Writers.DataPackage.GeoFieldsKey, out var g) ? g : default;
        return new PageDeclarations(
            KeyFigureDeclarations(dataPackage),
            charts,
            new GeoFields(
                Str(geo, "latitude") ?? Pipelines.OutputOptions.DefaultLatitude,
                Str(geo, "longitude") ?? Pipelines.OutputOptions.DefaultLongitude,
                Str(geo, "departement") ?? Pipelines.OutputOptions.DefaultDepartement),
            dataPackage.TryGetProperty("aggregate", out var a) && a.ValueKind == JsonValueKind.True,
            Columns(dataPackage));
    }

    /// <summary>The names of the fields of the first resource's schema, or none.</summary>
    private static List<string> Columns(JsonElement dataPackage) =>
        dataPackage.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Array && resources.GetArrayLength() > 0
        && resources[0].ValueKind == JsonValueKind.Object && resources[0].TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.Object
        && schema.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Array
            ? [.. fields.EnumerateArray().Select(f => Str(f, "name")).OfType<string>()]
            : [];

    /// <summary>
    /// What a version's page counts over every row of its CSV, by the scan that renders the page
    /// (<see cref="Read"/>, without preview or map positions): its key figures, its charts' bars
    /// (<see cref="DrawnCharts"/>) and its counts by département (<see cref="DepartementBars"/>).
    /// A stream, one row at a time: memory grows with the distinct values counted, never with the
    /// file. <c>verify</c> compares a published page with them.
    /// </summary>
    public static PageCounts Counts(PageDeclarations declarations, Stream csv, string version, string datasetId)
    {
        var figures = declarations.Figures();
        Read(csv, 0, figures, declarations.Aggregate ? null : declarations.Geo, positions: false);
        return new PageCounts(KeyFigureValues(figures, version, datasetId), DrawnCharts(figures), DepartementBars(figures));
    }

    /// <summary>
    /// The declared charts a page draws, in their order (one with no row counted is not drawn), each
    /// with its bars as drawn (<see cref="DeclaredBars"/>).
    /// </summary>
    internal static List<ChartBars> DrawnCharts(DatasetFigures figures) =>
        [.. figures.Charts.Where(c => c.ByValue.Count > 0 || c.Missing > 0)
            .Select(c => new ChartBars(c.Declaration.Field, c.Declaration.Title, [.. DeclaredBars(c).Select(b => new ChartBar(b.Value, b.Label, b.Count))], c.Declaration.Undeclared))];

    /// <summary>The bars by département, as drawn: most rows first, then by code; each labelled « Haute-Garonne (31) » (a code the reference does not know, by itself).</summary>
    internal static List<DepartementCount> DepartementBars(DatasetFigures figures) =>
        [.. figures.ByDepartement.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => new DepartementCount(c.Key, DepartementLabel(c.Key), c.Value))];

    /// <summary>The map's table of counts by département (« Les chiffres de la carte »): the same counts, by code.</summary>
    internal static List<DepartementCount> MapCounts(DatasetFigures figures) =>
        [.. figures.ByDepartement.Select(c => new DepartementCount(c.Key, DepartementLabel(c.Key), c.Value))];

    private static List<KeyFigureValue> KeyFigureValues(DatasetFigures figures, string version, string datasetId) =>
        [.. figures.KeyFigures.Select((k, i) => KeyFigureValue.Of(k, figures.KeyFigureValues[i], figures.KeyFigureStatus[i], version, datasetId))];

    /// <summary>
    /// Why a version whose rows are those of the version before exists, said on its page: "0 ligne
    /// ajoutée, 0 retirée, 0 modifiée" alone left a reader to wonder what was published. The same
    /// CSV (by its sha256 in releases.json); then what changed: the schema, the formats, or else the
    /// metadata (a new version is made only when one of them changes). Null for any other version.
    /// </summary>
    internal static string? SameRows(DatasetReleases releases, ReleaseVersion version)
    {
        var at = releases.Versions.FindIndex(v => v.Version == version.Version);
        if (at <= 0)
        {
            return null;
        }

        var previous = releases.Versions[at - 1];
        var csv = releases.Id + ".csv";
        string? Hash(ReleaseVersion v, string name) => v.Files.Find(f => f.Name == name)?.Sha256;
        if (Hash(version, csv) is not { } hash || hash != Hash(previous, csv))
        {
            return null;
        }

        static string Formats(ReleaseVersion v) => string.Join(",", v.Files.Select(f => Path.GetExtension(f.Name)).Distinct().Order(StringComparer.Ordinal));
        var changed = new List<string>();
        if (Hash(version, "schema.json") != Hash(previous, "schema.json"))
        {
            changed.Add("son schéma de données");
        }

        if (Formats(version) != Formats(previous))
        {
            changed.Add("les formats publiés");
        }

        var what = changed.Count > 0 ? string.Join(" et ", changed) : "ses métadonnées (titre, description, licence, éditeur, contact, couverture, chiffres clés…)";
        return $"Les lignes publiées sont celles de la version {previous.Version}, octet pour octet (même fichier CSV) : cette version change {what}.";
    }

    /// <summary>"nombre d'établissements", "nombre de lignes": "de" elided before a vowel or an h.</summary>
    internal static string CountOf(string plural) =>
        "nombre " + ("aeiouyhàâäéèêëîïôöûüœAEIOUYHÀÂÉÈÊÎÔÛŒ".Contains(plural[0], StringComparison.Ordinal) ? "d'" : "de ") + plural;

    public static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => $"{bytes.ToString(French)} octets",
        < 1024 * 1024 => $"{(bytes / 1024.0).ToString("0.0", French)} Ko",
        _ => $"{(bytes / (1024.0 * 1024)).ToString("0.0", French)} Mo",
    };

    private static DictionaryEntry Entry(JsonElement field)
    {
        var parts = new List<string>();
        if (field.TryGetProperty("constraints", out var c))
        {
            if (c.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.True)
            {
                parts.Add("obligatoire");
            }

            if (c.TryGetProperty("unique", out var u) && u.ValueKind == JsonValueKind.True)
            {
                parts.Add("unique");
            }

            if (c.TryGetProperty("pattern", out var pattern))
            {
                parts.Add($"motif {pattern.GetString()}");
            }

            if (c.TryGetProperty("enum", out var values))
            {
                parts.Add("valeurs : " + string.Join(", ", values.EnumerateArray().Select(v => v.ToString())));
            }

            if (c.TryGetProperty("minimum", out var min))
            {
                parts.Add($"minimum {min}");
            }

            if (c.TryGetProperty("maximum", out var max))
            {
                parts.Add($"maximum {max}");
            }
        }

        return new DictionaryEntry(
            Str(field, "name") ?? "",
            Str(field, "type") ?? "string",
            Str(field, "title") ?? "",
            Str(field, "description") ?? "",
            parts.Contains("obligatoire"),
            string.Join(" · ", parts));
    }

    /// <summary>
    /// The first rows for the preview, and over every row the counts and positions of the charts and
    /// map, from the columns <paramref name="geoFields"/> names; null for an aggregate, which has
    /// neither charts nor map. The positions are read only when <paramref name="positions"/> (the
    /// map's points: <c>verify</c> compares counts, not points).
    /// </summary>
    private static (IReadOnlyList<string>, IReadOnlyList<IReadOnlyList<string>>) Read(Stream csv, int count, DatasetFigures figures, GeoFields? geoFields, bool positions)
    {
        // Every row is scanned as UTF-8 bytes, without a string per cell: the comparisons of the
        // key figures' conditions are on bytes, the counts are looked up by the cell's characters,
        // and positions are parsed from the bytes. Only the preview rows and the values the key
        // figures show become strings.
        using var reader = CsvReader.Create(csv, CsvReaderOptions.Default with { Separator = ',' }, leaveOpen: false);
        var rows = new List<IReadOnlyList<string>>();
        reader.ReadHeader();
        var headers = reader.Headers.ToList();
        var (departement, lat, lon) = geoFields is { } geo
            ? (headers.IndexOf(geo.Departement), positions ? headers.IndexOf(geo.Latitude) : -1, positions ? headers.IndexOf(geo.Longitude) : -1)
            : (-1, -1, -1);
        var chartColumns = figures.Charts.Select(c => geoFields is not null ? headers.IndexOf(c.Declaration.Field) : -1).ToArray();
        var chartCounts = figures.Charts.Select(_ => new CellCounts()).ToArray();
        var inv = CultureInfo.InvariantCulture;
        var conditions = figures.KeyFigures.Select(k => k.Where.Select(w => new Condition(headers.IndexOf(w.Field), Encoding.UTF8.GetBytes(w.Value))).ToArray()).ToArray();
        var valueColumns = figures.KeyFigures.Select(k => k.Column is null ? -1 : headers.IndexOf(k.Column)).ToArray();
        var statusColumns = figures.KeyFigures.Select(k => k.Status is null ? -1 : headers.IndexOf(k.Status)).ToArray();
        figures.KeyFigureValues = figures.KeyFigures.Select(k => k.Column is null ? (long?)0 : null).ToArray();
        figures.KeyFigureStatus = new string?[conditions.Length];
        var byDepartement = new CellCounts();
        while (reader.Read())
        {
            for (var f = 0; f < conditions.Length; f++)
            {
                if (!Matches(reader, conditions[f]))
                {
                    continue;
                }

                if (figures.KeyFigures[f].Column is null)
                {
                    figures.KeyFigureValues[f]++;
                }
                else if (valueColumns[f] >= 0)
                {
                    figures.KeyFigureValues[f] = long.TryParse(reader.GetSpan(valueColumns[f]), NumberStyles.Integer, inv, out var v) ? v : null;
                    figures.KeyFigureStatus[f] = statusColumns[f] >= 0 ? reader.GetString(statusColumns[f]) : null;
                }
            }

            if (rows.Count < count)
            {
                var row = new string[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.GetString(i);
                }

                rows.Add(row);
            }

            for (var c = 0; c < chartColumns.Length; c++)
            {
                if (chartColumns[c] < 0)
                {
                    continue;
                }

                var cell = reader.GetSpan(chartColumns[c]);
                if (cell.IsEmpty)
                {
                    figures.Charts[c].Missing++;
                }
                else
                {
                    chartCounts[c].Add(cell);
                }
            }

            if (departement >= 0)
            {
                byDepartement.Add(reader.GetSpan(departement));
            }

            // A published position is a number (the published schema checked it): a row with both
            // cells is located; only the rows drawn are parsed.
            if (lat >= 0 && lon >= 0 && !reader.GetSpan(lat).IsEmpty && !reader.GetSpan(lon).IsEmpty && figures.NextPosition()
                && double.TryParse(reader.GetSpan(lat), NumberStyles.Float, inv, out var y)
                && double.TryParse(reader.GetSpan(lon), NumberStyles.Float, inv, out var x))
            {
                figures.AddPoint(y, x);
            }
        }

        for (var c = 0; c < chartCounts.Length; c++)
        {
            chartCounts[c].CopyTo(figures.Charts[c].ByValue);
        }

        byDepartement.CopyTo(figures.ByDepartement);
        return (headers, rows);
    }

    /// <summary>
    /// The chart's accessible name: "Acteurs … : nombre d'acteurs par type d'acteur" from a heading
    /// "Par type d'acteur"; another heading follows a dash.
    /// </summary>
    private static string ChartName(string dataset, string countOf, string heading) =>
        heading.StartsWith("Par ", StringComparison.Ordinal)
            ? $"{dataset} : {countOf} p{heading[1..]}"
            : $"{dataset} : {countOf} — {heading}";

    /// <summary>
    /// A declared chart's bars, labelled: by count (most rows first), or in the order of its labels
    /// (every labelled value, even at 0, for bands), then the values without a label by count; past
    /// <see cref="Charts.MaxBars"/>, the rest in one bar; the empty cells last.
    /// Each bar's published value, or null for the rest and the empty cells: the caption says how
    /// the labelled bars drawn are written in the CSV (« PME : pme »), and only those.
    /// </summary>
    internal static List<(string? Value, string Label, long Count)> DeclaredBars(ChartCounts chart)
    {
        var declaration = chart.Declaration;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (value, label) in declaration.Labels)
        {
            labels.TryAdd(value, label);
        }

        var byCount = chart.ByValue.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal);
        var ordered = declaration.Order == "labels"
            ? declaration.Labels.Where(l => l.Key.Length > 0).Select(l => KeyValuePair.Create(l.Key, chart.ByValue.GetValueOrDefault(l.Key)))
                .Concat(byCount.Where(v => !labels.ContainsKey(v.Key)))
            : byCount;
        var bars = ordered.Select(v => ((string?)v.Key, labels.GetValueOrDefault(v.Key) ?? v.Key, v.Value)).ToList();
        if (bars.Count > Charts.MaxBars)
        {
            var rest = bars[(Charts.MaxBars - 1)..];
            bars = [.. bars[..(Charts.MaxBars - 1)], (null, $"{rest.Count} autres valeurs", rest.Sum(b => b.Item3))];
        }

        if (chart.Missing > 0)
        {
            bars.Add((null, labels.GetValueOrDefault("") ?? "non renseigné", chart.Missing));
        }

        return bars;
    }

    /// <summary>Whether every condition of a key figure holds in the current row (a missing column never matches).</summary>
    private static bool Matches(CsvReader reader, Condition[] conditions)
    {
        foreach (var condition in conditions)
        {
            if (condition.Column < 0 || !reader.GetSpan(condition.Column).SequenceEqual(condition.Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A condition of a key figure: the column's cell must be these UTF-8 bytes.</summary>
    private sealed record Condition(int Column, byte[] Value);

    /// <summary>Rows per distinct non-empty cell of a column, looked up without a string per row.</summary>
    private sealed class CellCounts
    {
        private readonly Dictionary<string, long> counts;
        private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> byChars;
        private char[] chars = new char[64];

        public CellCounts()
        {
            counts = new Dictionary<string, long>(StringComparer.Ordinal);
            byChars = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public void Add(ReadOnlySpan<byte> utf8)
        {
            if (utf8.IsEmpty)
            {
                return;
            }

            if (chars.Length < utf8.Length)
            {
                chars = new char[utf8.Length]; // UTF-8 never has fewer bytes than UTF-16 chars
            }

            var text = chars.AsSpan(0, Encoding.UTF8.GetChars(utf8, chars));
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(byChars, text, out _);
            slot++;
        }

        public void CopyTo(SortedDictionary<string, long> sorted)
        {
            foreach (var (key, value) in counts)
            {
                sorted[key] = value;
            }
        }
    }

    /// <summary>The notes given, those not null, one after the other (« … ; … »); null when none is.</summary>
    private static string? Notes(params string?[] notes) =>
        notes.OfType<string>().ToList() is { Count: > 0 } given ? string.Join(" ; ", given) : null;

    /// <summary>
    /// « départements hors de la carte, non dessinés ni pris dans l'échelle des teintes : 75 : 12, 69 : 3 »,
    /// largest first, or null when the map draws every counted row.
    /// </summary>
    private static string? NotDrawnNote(DatasetFigures figures)
    {
        var notDrawn = Charts.NotDrawn(figures);
        return notDrawn.Count == 0 ? null
            : (notDrawn.Count == 1 ? "un département hors de la carte, non dessiné ni pris dans l'échelle des teintes : " : "départements hors de la carte, non dessinés ni pris dans l'échelle des teintes : ")
              + string.Join(", ", notDrawn.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{DepartementLabel(c.Key)} : {KeyFigureFormat.Count(c.Value)}"));
    }

    private static string DepartementLabel(string code) =>
        Reference.Geography.Occitanie.FindDepartement(code) is { } d ? $"{d.Name} ({code})" : code;

    /// <summary>A property holding a list of texts, or null when the package has none.</summary>
    private static List<string>? Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? [.. v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)]
            : null;

    private static string? Str(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
}

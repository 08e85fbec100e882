using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Site;

/// <summary>
/// <c>catalog.jsonld</c>: the catalogue in DCAT-AP 3 (JSON-LD, context inline so harvesters need
/// no network), valid against the official SHACL shapes. Each dataset has a stable
/// <c>dct:identifier</c>, <c>dct:modified</c> from its latest release (never the run's clock),
/// its spatial coverage as a <c>dct:Location</c> with a <c>dcat:bbox</c> WKT polygon (of the
/// départements it declares, else of the region), its EU data themes (declared, else ECON), its
/// update frequency, and one distribution per file of <c>latest/</c> with download URL, media
/// type, format, size, sha256, licence and the Table Schema it conforms to.
/// </summary>
public static class DcatCatalog
{
    public const string FileName = "catalog.jsonld";

    private const string Eu = "http://publications.europa.eu/resource/authority/";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Build(Uri baseUrl, SiteModel site, ReleaseManifest manifest)
    {
        var datasets = new JsonArray();
        foreach (var page in site.Datasets)
        {
            datasets.Add(Dataset(baseUrl, page, manifest.Find(page.Id)!));
        }

        var first = site.Datasets.Count > 0 ? site.Datasets[0] : null;
        var catalog = new JsonObject
        {
            ["@context"] = Context(),
            ["@id"] = new Uri(baseUrl, FileName).AbsoluteUri,
            ["@type"] = "dcat:Catalog",
            ["dct:title"] = Lang("Automotech Open Data — catalogue de la filière automobile d'Occitanie"),
            ["dct:description"] = Lang("Jeux de données ouverts publiés par Automotech, le cluster automobile et mobilités d'Occitanie."
                + (site.Demo ? " Données fictives de démonstration." : "")),
            ["dct:publisher"] = Agent(baseUrl, first?.PublisherName ?? "Automotech", first?.PublisherUrl),
            ["foaf:homepage"] = new JsonObject { ["@id"] = baseUrl.AbsoluteUri, ["@type"] = "foaf:Document" },
            ["dct:language"] = new JsonObject { ["@id"] = Eu + "language/FRA", ["@type"] = "dct:LinguisticSystem" },
            ["dcat:dataset"] = datasets,
        };
        var modified = manifest.Datasets.Select(d => d.Latest?.Published).Where(p => p is not null).DefaultIfEmpty().Max();
        if (modified is { } m)
        {
            catalog["dct:modified"] = DateTime(m);
        }

        return JsonSerializer.SerializeToUtf8Bytes(catalog, Options);
    }

    private static JsonObject Dataset(Uri baseUrl, DatasetPage page, DatasetReleases releases)
    {
        var landing = new Uri(baseUrl, $"datasets/{page.Id}/");
        var latest = releases.Latest!;
        var distributions = new JsonArray();
        foreach (var file in page.Downloads.Where(d => d.Format is "csv" or "parquet" or "geojson"))
        {
            distributions.Add(Distribution(baseUrl, page, file));
        }

        var dataset = new JsonObject
        {
            ["@id"] = landing.AbsoluteUri,
            ["@type"] = "dcat:Dataset",
            ["dct:identifier"] = landing.AbsoluteUri,
            ["dct:title"] = Lang(page.Title),
            ["dct:description"] = Lang(page.Description + (page.Demo ? " (Données fictives de démonstration.)" : "")),
            ["dcat:keyword"] = new JsonArray([.. page.Keywords.Select(k => (JsonNode)Lang(k))]),
            ["dcat:theme"] = Themes(page),
            ["dct:publisher"] = Agent(baseUrl, page.PublisherName, page.PublisherUrl),
            ["dcat:contactPoint"] = Contact(baseUrl, page),
            ["dcat:landingPage"] = new JsonObject { ["@id"] = landing.AbsoluteUri, ["@type"] = "foaf:Document" },
            ["dct:issued"] = DateTime(releases.Versions[0].Published),
            ["dct:modified"] = DateTime(latest.Published),
            ["dcat:version"] = latest.Version,
            ["dct:spatial"] = Spatial(page),
            ["dcat:distribution"] = distributions,
        };
        if (Pipelines.UpdateFrequency.EuCode(page.UpdateFrequency) is { } frequency)
        {
            dataset["dct:accrualPeriodicity"] = new JsonObject { ["@id"] = Eu + "frequency/" + frequency, ["@type"] = "dct:Frequency" };
        }

        // What a harvester's loader must know of the latest version: how its structure differs from
        // the previous version's (DCAT-AP 3's "version notes"); nothing when it does not.
        if (page.Structure is { } structure)
        {
            dataset["adms:versionNotes"] = Lang(structure.Plain());
        }

        if (page.TemporalStart is { } start)
        {
            dataset["dct:temporal"] = new JsonObject
            {
                ["@type"] = "dct:PeriodOfTime",
                ["dcat:startDate"] = new JsonObject { ["@value"] = start, ["@type"] = "xsd:date" },
            };
        }

        return dataset;
    }

    private static JsonObject Distribution(Uri baseUrl, DatasetPage page, Download file)
    {
        var url = new Uri(baseUrl, $"datasets/{page.Id}/{file.LatestHref}").AbsoluteUri;
        var mediaType = file.MediaType.Split(';')[0].Trim();

        // A part of a partitioned output (<id>/<field>=<value>/part-0.parquet) says which part it
        // is: a harvester lists each distribution by its title.
        var partFolder = file.Name.Split('/') is [.., var folder, _] && folder.Contains('=', StringComparison.Ordinal) ? folder : null;
        var isPart = partFolder is not null;
        var part = partFolder is not null
            ? $", partie {Uri.UnescapeDataString(partFolder).Replace("=", " = ", StringComparison.Ordinal)}"
            : "";

        // A part holds every field but the partition field (its value is in the folder's name, as in
        // Hive): it conforms to the version's schema-partition.json, not to schema.json. A version
        // published before that file existed has none to name, and says nothing rather than a schema
        // its parts do not follow (dct:conformsTo is optional).
        var schema = !isPart ? "schema.json"
            : page.Downloads.Any(d => d.Name == Writers.DataPackage.PartSchemaFileName) ? Writers.DataPackage.PartSchemaFileName
            : null;
        var distribution = new JsonObject
        {
            ["@id"] = url,
            ["@type"] = "dcat:Distribution",
            ["dct:title"] = Lang($"{page.Title} ({Download.FormatNameOf(file.Format)}{part}, dernière version)"),
            ["dcat:accessURL"] = new JsonObject { ["@id"] = url },
            ["dcat:downloadURL"] = new JsonObject { ["@id"] = url },
            ["dcat:mediaType"] = new JsonObject { ["@id"] = "http://www.iana.org/assignments/media-types/" + mediaType, ["@type"] = "dct:MediaType" },
            ["dct:format"] = new JsonObject { ["@id"] = Eu + "file-type/" + file.Format.ToUpperInvariant(), ["@type"] = "dct:MediaTypeOrExtent" },
            ["dcat:byteSize"] = new JsonObject { ["@value"] = file.Bytes.ToString(CultureInfo.InvariantCulture), ["@type"] = "xsd:nonNegativeInteger" },
            ["spdx:checksum"] = new JsonObject
            {
                ["@type"] = "spdx:Checksum",
                ["spdx:algorithm"] = new JsonObject { ["@id"] = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256", ["@type"] = "spdx:ChecksumAlgorithm" },
                ["spdx:checksumValue"] = new JsonObject { ["@value"] = file.Sha256, ["@type"] = "xsd:hexBinary" },
            },
            ["dct:license"] = new JsonObject { ["@id"] = page.LicenceUrl, ["@type"] = "dct:LicenseDocument" },
        };
        if (schema is not null)
        {
            distribution["dct:conformsTo"] = new JsonObject { ["@id"] = new Uri(baseUrl, $"datasets/{page.Id}/latest/{schema}").AbsoluteUri, ["@type"] = "dct:Standard" };
        }

        distribution["dct:modified"] = DateTime(DateTimeOffset.Parse(page.PublishedIso, CultureInfo.InvariantCulture));
        return distribution;
    }

    private static JsonObject Agent(Uri baseUrl, string name, string? url) => new()
    {
        ["@id"] = url ?? new Uri(baseUrl, "#publisher").AbsoluteUri,
        ["@type"] = "foaf:Agent",
        ["foaf:name"] = Lang(name),
    };

    private static JsonObject Contact(Uri baseUrl, DatasetPage page)
    {
        var contact = new JsonObject
        {
            ["@id"] = new Uri(baseUrl, $"datasets/{page.Id}/#contact").AbsoluteUri,
            ["@type"] = new JsonArray("vcard:Kind", "vcard:Organization"),
            ["vcard:fn"] = page.ContactName,
        };
        if (page.ContactEmail is { } email)
        {
            contact["vcard:hasEmail"] = new JsonObject { ["@id"] = "mailto:" + email };
        }

        return contact;
    }

    private static JsonObject Lang(string text) => new() { ["@value"] = text, ["@language"] = "fr" };

    private static JsonObject DateTime(DateTimeOffset instant) => new() { ["@value"] = PublicationTime.Iso(instant), ["@type"] = "xsd:dateTime" };

    private static JsonObject Context() => new()
    {
        ["dcat"] = "http://www.w3.org/ns/dcat#",
        ["dct"] = "http://purl.org/dc/terms/",
        ["adms"] = "http://www.w3.org/ns/adms#",
        ["foaf"] = "http://xmlns.com/foaf/0.1/",
        ["vcard"] = "http://www.w3.org/2006/vcard/ns#",
        ["skos"] = "http://www.w3.org/2004/02/skos/core#",
        ["spdx"] = "http://spdx.org/rdf/terms#",
        ["gsp"] = "http://www.opengis.net/ont/geosparql#",
        ["xsd"] = "http://www.w3.org/2001/XMLSchema#",
    };

    /// <summary>
    /// The dataset's themes (<c>metadata.themes</c>, as its datapackage.json says): one concept as an
    /// object, several as a list; a package that declares none (or none the vocabulary knows), ECON,
    /// as every dataset had before themes could be declared, so that its entry stays as it was.
    /// </summary>
    private static JsonNode Themes(DatasetPage page)
    {
        var concepts = page.ThemeConcepts;
        JsonObject Concept(ThemeConcept theme) => new() { ["@id"] = theme.Uri, ["@type"] = "skos:Concept", ["skos:prefLabel"] = Lang(theme.Label) };
        return concepts.Count == 1 ? Concept(concepts[0]) : new JsonArray([.. concepts.Select(c => (JsonNode)Concept(c))]);
    }

    /// <summary>
    /// The dataset's spatial coverage: its label (<see cref="DatasetPage.SpatialLabel"/>), and the
    /// bounding box of the départements it declares (<c>metadata.spatial_departements</c>), or of the
    /// whole region when it declares none (<see cref="DatasetPage.SpatialBox"/>).
    /// </summary>
    private static JsonObject Spatial(DatasetPage page) => new()
    {
        ["@type"] = "dct:Location",
        ["skos:prefLabel"] = Lang(page.SpatialLabel),
        ["dcat:bbox"] = new JsonObject { ["@value"] = page.SpatialBox.Wkt(), ["@type"] = "gsp:wktLiteral" },
    };
}

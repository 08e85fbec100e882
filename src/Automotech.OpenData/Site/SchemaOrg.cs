using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Automotech.OpenData.Site;

/// <summary>
/// The schema.org <c>Dataset</c> a dataset page embeds (search engines, Google Dataset Search),
/// serialised with the default encoder: &lt; &gt; &amp; and quotes are escaped, so the JSON can
/// never close its script element.
/// </summary>
public static class SchemaOrg
{
    /// <param name="versionPage">
    /// For a version's own page, which never changes: its URL and its files' (the latest/ ones
    /// would change under it), with the version's permalink as <c>@id</c>. The dataset's page
    /// describes the latest/ files, so its <c>@id</c> is the dataset's own URL, as in
    /// catalog.jsonld: search engines merge descriptions by <c>@id</c>, and a version's must
    /// never gain files that the next version replaces.
    /// </param>
    public static TrustedHtml Dataset(Uri baseUrl, DatasetPage page, Citation citation, bool versionPage = false)
    {
        var landing = new Uri(baseUrl, versionPage ? $"datasets/{page.Id}/{page.Version}/" : $"datasets/{page.Id}/").AbsoluteUri;
        var dataset = new JsonObject
        {
            ["@context"] = "https://schema.org/",
            ["@type"] = "Dataset",
            ["@id"] = versionPage ? citation.Permalink : landing,
            ["name"] = page.Title,
            ["description"] = page.Description + (page.Demo ? " Données fictives de démonstration." : ""),
            ["url"] = landing,
            ["identifier"] = landing,
            ["version"] = page.Version,
            // The dataset's page describes the dataset, first published with its first version (as
            // catalog.jsonld's dct:issued says); a version's page, that version.
            ["datePublished"] = versionPage ? page.PublishedIso : page.FirstPublishedIso,
            ["dateModified"] = page.PublishedIso,
            ["inLanguage"] = "fr",
            ["isAccessibleForFree"] = true,
            ["license"] = page.LicenceUrl,
            ["keywords"] = new JsonArray([.. page.Keywords.Select(k => (JsonNode)k)]),
            ["creator"] = new JsonObject { ["@type"] = "Organization", ["name"] = page.PublisherName, ["url"] = page.PublisherUrl },
            ["publisher"] = new JsonObject { ["@type"] = "Organization", ["name"] = page.PublisherName, ["url"] = page.PublisherUrl },
            // The place and its extent, the box of catalog.jsonld's dcat:bbox: "south west north east".
            ["spatialCoverage"] = new JsonObject
            {
                ["@type"] = "Place",
                ["name"] = page.SpatialLabel,
                ["geo"] = new JsonObject { ["@type"] = "GeoShape", ["box"] = page.SpatialBox.SchemaOrgBox() },
            },
            ["citation"] = citation.French,
            ["distribution"] = new JsonArray([.. page.Downloads.Where(d => d.Format is "csv" or "parquet" or "geojson").Select(d => (JsonNode)new JsonObject
            {
                ["@type"] = "DataDownload",
                ["encodingFormat"] = d.MediaType.Split(';')[0],
                ["contentUrl"] = new Uri(baseUrl, $"datasets/{page.Id}/{(versionPage ? d.VersionHref : d.LatestHref)}").AbsoluteUri,
                ["contentSize"] = d.Bytes.ToString(CultureInfo.InvariantCulture) + " B",
            })]),
        };
        if (page.TemporalStart is { } start)
        {
            dataset["temporalCoverage"] = start + "/..";
        }

        // The default encoder escapes < > & ' " as \uXXXX: safe inside <script>.
        return new TrustedHtml(dataset.ToJsonString());
    }
}

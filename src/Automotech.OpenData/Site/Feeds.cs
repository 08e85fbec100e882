using System.Text;
using System.Xml;
using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Site;

/// <summary><c>feed.atom</c> (one entry per release) and <c>sitemap.xml</c>, with absolute URLs under the site's base URL.</summary>
public static class Feeds
{
    public static byte[] Atom(Uri baseUrl, SiteModel site, ReleaseManifest manifest)
    {
        var entries = manifest.Datasets
            .SelectMany(d => d.Versions.Select(v => (Dataset: d, Version: v)))
            .OrderByDescending(e => e.Version.Published)
            .ThenBy(e => e.Dataset.Id, StringComparer.Ordinal)
            .ToList();
        return Xml(w =>
        {
            const string atom = "http://www.w3.org/2005/Atom";
            w.WriteStartElement("feed", atom);
            w.WriteAttributeString("xml", "lang", null, "fr");
            w.WriteElementString("id", atom, baseUrl.AbsoluteUri);
            w.WriteElementString("title", atom, "Automotech Open Data — nouvelles versions" + (site.Demo ? " (données fictives de démonstration)" : ""));
            w.WriteElementString("updated", atom, entries.Count == 0 ? "1970-01-01T00:00:00Z" : PublicationTime.Iso(entries[0].Version.Published));
            Link(w, atom, new Uri(baseUrl, "feed.atom").AbsoluteUri, "self");
            Link(w, atom, baseUrl.AbsoluteUri, "alternate");
            w.WriteStartElement("author", atom);
            w.WriteElementString("name", atom, site.Datasets.Count > 0 ? site.Datasets[0].PublisherName : "Automotech");
            w.WriteEndElement();
            foreach (var (dataset, version) in entries)
            {
                var page = new Uri(baseUrl, $"datasets/{dataset.Id}/{version.Version}/").AbsoluteUri;
                w.WriteStartElement("entry", atom);
                w.WriteElementString("id", atom, page);
                w.WriteElementString("title", atom, $"{dataset.TitleOf(version)} — version {version.Version}");
                w.WriteElementString("updated", atom, PublicationTime.Iso(version.Published));
                Link(w, atom, page, "alternate");
                var changes = version.Changes is { Previous: not null } c
                    ? $" Depuis {c.Previous} : {KeyFigureFormat.Agreed(c.Added, "ligne ajoutée", "lignes ajoutées")}, {KeyFigureFormat.Agreed(c.Removed, "retirée", "retirées")}, {KeyFigureFormat.Agreed(c.Modified, "modifiée", "modifiées")}."
                    : "";
                var same = DatasetPageBuilder.SameRows(dataset, version) is { } why ? " " + why : "";
                var structure = StructureNote.Of(version.Changes?.Previous, version.Changes?.Structure) is { } note ? " " + note.Plain() : "";
                w.WriteElementString("summary", atom, $"{KeyFigureFormat.Agreed(version.Rows, "ligne publiée", "lignes publiées")} le {PublicationTime.Format(version.Published)}.{structure}{changes}{same}");
                w.WriteEndElement();
            }

            w.WriteEndElement();
        });
    }

    public static byte[] Sitemap(Uri baseUrl, ReleaseManifest manifest)
    {
        return Xml(w =>
        {
            const string ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
            w.WriteStartElement("urlset", ns);
            var latest = manifest.Datasets.Select(d => d.Latest?.Published).Where(p => p is not null).DefaultIfEmpty().Max();
            Url(w, ns, baseUrl.AbsoluteUri, latest);
            foreach (var dataset in manifest.Datasets.OrderBy(d => d.Id, StringComparer.Ordinal))
            {
                Url(w, ns, new Uri(baseUrl, $"datasets/{dataset.Id}/").AbsoluteUri, dataset.Latest?.Published);
                foreach (var version in dataset.Versions)
                {
                    Url(w, ns, new Uri(baseUrl, $"datasets/{dataset.Id}/{version.Version}/").AbsoluteUri, version.Published);
                }
            }

            w.WriteEndElement();
        });
    }

    private static void Url(XmlWriter w, string ns, string location, DateTimeOffset? modified)
    {
        w.WriteStartElement("url", ns);
        w.WriteElementString("loc", ns, location);
        if (modified is { } m)
        {
            w.WriteElementString("lastmod", ns, PublicationTime.Iso(m));
        }

        w.WriteEndElement();
    }

    private static void Link(XmlWriter w, string ns, string href, string rel)
    {
        w.WriteStartElement("link", ns);
        w.WriteAttributeString("rel", rel);
        w.WriteAttributeString("href", href);
        w.WriteEndElement();
    }

    private static byte[] Xml(Action<XmlWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, NewLineChars = "\n" }))
        {
            writer.WriteStartDocument();
            write(writer);
            writer.WriteEndDocument();
        }

        return stream.ToArray();
    }
}

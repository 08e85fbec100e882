namespace Automotech.OpenData.Pipelines;

/// <summary>
/// Whether a private path (the quarantine, the work folder, a source file) lies inside the
/// published folder, or holds it: compared as written and with every symbolic link followed, so
/// that a link (/srv/quarantine -> /srv/site/private) cannot put private files where everything
/// is served. A privacy review published rejets.csv that way.
/// </summary>
internal static class PublishedFolder
{
    private const int MaxLinks = 40;

    /// <summary>True when <paramref name="path"/> is <paramref name="output"/>, inside it, or (with <paramref name="orHolds"/>) above it.</summary>
    public static bool Overlaps(string output, string path, bool orHolds)
    {
        string[] outputs = [WithSeparator(Path.GetFullPath(output)), WithSeparator(Real(output))];
        string[] paths = [WithSeparator(Path.GetFullPath(path)), WithSeparator(Real(path))];
        return outputs.Any(o => paths.Any(p => p.StartsWith(o, StringComparison.Ordinal) || (orHolds && o.StartsWith(p, StringComparison.Ordinal))));
    }

    /// <summary>The full path with every symbolic link on it followed, existing or not past the links.</summary>
    internal static string Real(string path) => Real(Path.GetFullPath(path), 0);

    private static string Real(string full, int links)
    {
        var root = Path.GetPathRoot(full) ?? "";
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (links >= MaxLinks)
                {
                    throw new PipelineException($"{full}: more than {MaxLinks} symbolic links to follow (a loop?).");
                }

                next = Real(Path.GetFullPath(target, current), links + 1);
            }

            current = next;
        }

        return current;
    }

    private static string WithSeparator(string path) =>
        path.EndsWith(Path.DirectorySeparatorChar) ? path : path + Path.DirectorySeparatorChar;
}

namespace Automotech.OpenData;

/// <summary>
/// A folder named by configuration (the output, the work folder, the quarantine). One that names a
/// file, or a folder under a file, stopped a run with .NET's "The file … already exists", which did
/// not say which setting named the wrong thing.
/// </summary>
internal static class ConfiguredFolder
{
    /// <summary>
    /// The nearest of <paramref name="folder"/> and its parents that exists must be a folder, else
    /// a <see cref="PipelineException"/> names the file, the <paramref name="setting"/> and the
    /// <paramref name="consequence"/>.
    /// </summary>
    public static void RefuseFileInTheWay(string folder, string setting, string consequence)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        for (var path = full; !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (Directory.Exists(path))
            {
                return;
            }

            if (File.Exists(path))
            {
                throw new PipelineException((path == full
                    ? $"{full} is a file, not a folder: "
                    : $"{path} is a file, so there can be no folder {full}: ")
                    + $"{setting} names a folder. {consequence}");
            }
        }
    }
}

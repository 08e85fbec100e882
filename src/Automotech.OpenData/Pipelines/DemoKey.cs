namespace Automotech.OpenData.Pipelines;

/// <summary>
/// The pseudonymisation key used when none is configured, for the bundled fictional demo
/// data only. It is public (it is in this repository), so pseudonyms made with it protect
/// nothing: any other source refuses to run without a real key, and pages built with it say so.
/// </summary>
public static class DemoKey
{
    public const string Value = "automotech-demo-key--public--never-use-for-real-data";

    /// <summary>Shortest key accepted: 32 characters (about 190 bits when random).</summary>
    public const int MinimumLength = 32;
}

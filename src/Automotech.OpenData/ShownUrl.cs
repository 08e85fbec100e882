namespace Automotech.OpenData;

/// <summary>
/// A URL as messages and logs may show it: scheme, host, port and path; never its user info (a
/// password), query (a token, a SAS) or fragment.
/// </summary>
public static class ShownUrl
{
    public static string Of(Uri url) => url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
}

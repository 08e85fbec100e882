namespace Automotech.OpenData.Publishing;

/// <summary>
/// What a connection string's blob endpoint must not be, for the publish target and for the blob
/// source alike: credentials in the address (the SDK quoted "password@host" in its error), or plain
/// http beyond the loopback (the shared access signature, or the signed requests and the data, would
/// travel in clear; an emulator such as Azurite on 127.0.0.1 is the one use of http).
/// </summary>
internal static class BlobEndpoint
{
    /// <summary>The problem with <paramref name="endpoint"/>, said of <paramref name="setting"/>, or null. Never quotes the address.</summary>
    public static string? Problem(Uri endpoint, string setting) =>
        endpoint.UserInfo.Length > 0
            ? $"{setting}: its blob endpoint must not hold credentials (user:password@): give the account key or a shared access signature in their own fields."
            : endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback
                ? $"{setting}: its blob endpoint must be an https:// address: over http the shared access signature or the signed requests, and the data, travel in clear (plain http is for a local emulator on the loopback only)."
                : null;
}

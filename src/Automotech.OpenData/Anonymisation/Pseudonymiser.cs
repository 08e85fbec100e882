using System.Security.Cryptography;
using System.Text;

namespace Automotech.OpenData.Anonymisation;

/// <summary>
/// Replaces an identifier by a keyed HMAC-SHA256 pseudonym: stable across runs for one key,
/// not reversible without it. A pseudonym is still personal data under the GDPR (whoever holds
/// the key can link it back), which is why the key never leaves configuration.
/// </summary>
public sealed class Pseudonymiser : IDisposable
{
    /// <summary>The prefix that tells a pseudonym from a SIRET in published identifiers.</summary>
    public const string Prefix = "EI-";

    /// <summary>Hex digits kept from the HMAC: 80 bits, collisions negligible at any realistic size.</summary>
    public const int Digits = 20;

    // One keyed HMAC context per thread, reset after each value: the one-shot HashData sets
    // the key up again on every call, several times the cost of hashing a SIRET.
    private readonly ThreadLocal<IncrementalHash> hmac;

    public Pseudonymiser(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var bytes = Encoding.UTF8.GetBytes(key);
        hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, bytes), trackAllValues: true);
    }

    /// <summary>
    /// The pseudonymiser of one dataset: its HMAC key is derived from the secret and the dataset's
    /// id, so that one person's pseudonyms differ between datasets. With one pseudonym for all, a
    /// sole trader that k-anonymity generalised to the département in acteurs was found at their
    /// commune in sirene-automobile by the same identifier (a privacy review's find).
    /// </summary>
    public static Pseudonymiser ForDataset(string key, string datasetId)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(datasetId);
        var derived = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes("automotech-opendata/pseudonymes/" + datasetId));
        return new Pseudonymiser(Convert.ToHexString(derived));
    }

    public string Pseudonymise(string value)
    {
        var context = hmac.Value!;
        Span<byte> utf8 = value.Length <= 128 ? stackalloc byte[value.Length * 3] : new byte[Encoding.UTF8.GetMaxByteCount(value.Length)];
        context.AppendData(utf8[..Encoding.UTF8.GetBytes(value, utf8)]);
        Span<byte> hash = stackalloc byte[32];
        context.GetHashAndReset(hash);
        return string.Concat(Prefix, Convert.ToHexString(hash[..(Digits / 2)]));
    }

    public void Dispose()
    {
        foreach (var context in hmac.Values)
        {
            context.Dispose();
        }

        hmac.Dispose();
    }
}

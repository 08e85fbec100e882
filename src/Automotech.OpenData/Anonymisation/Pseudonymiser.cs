using System.Security.Cryptography;
using System.Text;

namespace Automotech.OpenData.Anonymisation;

/// <summary>
/// Replaces an identifier by a keyed HMAC-SHA256 pseudonym: stable across runs for one key,
/// not reversible without it. A pseudonym is still personal data under the GDPR (whoever holds
/// the key can link it back), which is why the key never leaves configuration.
/// </summary>
public sealed class Pseudonymiser
{
    /// <summary>The prefix that tells a pseudonym from a SIRET in published identifiers.</summary>
    public const string Prefix = "EI-";

    /// <summary>Hex digits kept from the HMAC: 80 bits, collisions negligible at any realistic size.</summary>
    public const int Digits = 20;

    private readonly byte[] key;

    public Pseudonymiser(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        this.key = Encoding.UTF8.GetBytes(key);
    }

    public string Pseudonymise(string value)
    {
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value), hash);
        return Prefix + Convert.ToHexString(hash)[..Digits];
    }
}

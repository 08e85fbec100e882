using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Automotech.OpenData.Validation;

/// <summary>
/// The keys seen so far, for <c>unique</c> and <c>primaryKey</c>, stored as 128-bit XxHash
/// digests rather than strings: about 24 bytes a row instead of 80 or more, so a 10-million-row
/// source stays within a small runner's memory. Two distinct keys share a digest with
/// probability about n²/2¹²⁹ (10⁻²⁵ for ten million rows).
/// </summary>
internal sealed class KeySet
{
    private readonly HashSet<UInt128> digests = [];

    public static UInt128 Digest(ReadOnlySpan<char> key) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(key));

    public bool Contains(UInt128 digest) => digests.Contains(digest);

    public void Add(UInt128 digest) => digests.Add(digest);
}

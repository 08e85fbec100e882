namespace Automotech.OpenData.Validation;

/// <summary>
/// Text built in one array reused from key to key (grown when a key is longer), so that a
/// key made of several values is hashed (<see cref="KeySet.Digest"/>) without a string per row.
/// Not thread-safe: one per thread.
/// </summary>
internal sealed class KeyText
{
    private char[] chars = new char[256];
    private int length;

    /// <summary>The text appended since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<char> Span => chars.AsSpan(0, length);

    public void Clear() => length = 0;

    public void Append(ReadOnlySpan<char> text)
    {
        Reserve(text.Length);
        text.CopyTo(chars.AsSpan(length));
        length += text.Length;
    }

    public void Append(char c)
    {
        Reserve(1);
        chars[length++] = c;
    }

    private void Reserve(int more)
    {
        if (length + more > chars.Length)
        {
            Array.Resize(ref chars, Math.Max(chars.Length * 2, length + more));
        }
    }
}

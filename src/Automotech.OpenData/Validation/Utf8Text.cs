using System.Text;

namespace Automotech.OpenData.Validation;

/// <summary>Tests on UTF-8 text that give the answers their <see cref="string"/> counterparts give.</summary>
internal static class Utf8Text
{
    /// <summary>
    /// Whether the text is empty or white space only, as <c>string.Trim().Length == 0</c> says
    /// (<see cref="char.IsWhiteSpace(char)"/>). Invalid UTF-8 is not blank.
    /// </summary>
    public static bool IsBlank(ReadOnlySpan<byte> utf8)
    {
        var i = 0;
        while (i < utf8.Length)
        {
            var b = utf8[i];
            if (b < 0x80)
            {
                if (b != ' ' && b is < 0x09 or > 0x0D)
                {
                    return false;
                }

                i++;
                continue;
            }

            if (Rune.DecodeFromUtf8(utf8[i..], out var rune, out var consumed) != System.Buffers.OperationStatus.Done || !Rune.IsWhiteSpace(rune))
            {
                return false;
            }

            i += consumed;
        }

        return true;
    }
}

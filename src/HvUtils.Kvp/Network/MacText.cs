namespace HvUtils.Kvp.Network;

/// <summary>
/// MAC comparison for GET_IP_INFO (kvp.md §7): the host sends upper-case colon-separated text; this also
/// accepts lower case and <c>-</c> separators (the C daemon misses those, quirks.md) by comparing the hex
/// digits only.
/// </summary>
public static class MacText
{
    /// <summary>The hex digits of a MAC in upper case, or null when the text is not <c>xx[:-]xx…</c>.</summary>
    public static string? Normalize(string text)
    {
        if (text.Length < 2)
        {
            return null;
        }
        Span<char> digits = stackalloc char[text.Length];
        int n = 0;
        int sinceSeparator = 0;
        char separator = '\0';
        foreach (char c in text)
        {
            if (c is ':' or '-')
            {
                if (sinceSeparator != 2 || (separator != '\0' && c != separator))
                {
                    return null;
                }
                separator = c;
                sinceSeparator = 0;
            }
            else if (char.IsAsciiHexDigit(c))
            {
                digits[n++] = char.ToUpperInvariant(c);
                sinceSeparator++;
            }
            else
            {
                return null;
            }
        }
        bool grouped = separator != '\0';
        if ((grouped && sinceSeparator != 2) || (!grouped && n != 12) || n % 2 != 0)
        {
            return null;
        }
        return new string(digits[..n]);
    }
}

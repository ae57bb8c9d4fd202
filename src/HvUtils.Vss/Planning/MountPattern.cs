namespace HvUtils.Vss.Planning;

/// <summary>
/// One <c>Vss:Include</c>/<c>Vss:Exclude</c> entry: <c>fstype:GLOB</c>, <c>source:GLOB</c>, or a
/// mount point glob (optionally <c>path:GLOB</c>). <c>*</c> and <c>?</c> stop at '/', <c>**</c>
/// crosses it: <c>/srv/*</c> is every mount directly under /srv, <c>/srv/**</c> all below it.
/// </summary>
public sealed record MountPattern(string Text, MountPatternField Field, string Glob)
{
    public static MountPattern Parse(string text)
    {
        if (text.StartsWith("fstype:", StringComparison.Ordinal))
        {
            return new MountPattern(text, MountPatternField.FsType, text["fstype:".Length..]);
        }
        if (text.StartsWith("source:", StringComparison.Ordinal))
        {
            return new MountPattern(text, MountPatternField.Source, text["source:".Length..]);
        }
        return new MountPattern(text, MountPatternField.MountPoint,
            text.StartsWith("path:", StringComparison.Ordinal) ? text["path:".Length..] : text);
    }

    public bool Matches(MountEntry mount) => GlobMatch(Glob, Field switch
    {
        MountPatternField.FsType => mount.FsType,
        MountPatternField.Source => mount.Source,
        _ => mount.MountPoint,
    });

    /// <summary>Glob match with '*' (not '/'), '**' (anything) and '?' (one character, not '/').</summary>
    public static bool GlobMatch(ReadOnlySpan<char> glob, ReadOnlySpan<char> text)
    {
        while (glob.Length > 0)
        {
            if (glob.StartsWith("**"))
            {
                ReadOnlySpan<char> rest = glob[2..];
                for (int i = 0; i <= text.Length; i++)
                {
                    if (GlobMatch(rest, text[i..]))
                    {
                        return true;
                    }
                }
                return false;
            }
            if (glob[0] == '*')
            {
                ReadOnlySpan<char> rest = glob[1..];
                for (int i = 0; i <= text.Length; i++)
                {
                    if (GlobMatch(rest, text[i..]))
                    {
                        return true;
                    }
                    if (i < text.Length && text[i] == '/')
                    {
                        return false;
                    }
                }
                return false;
            }
            if (text.Length == 0 || (glob[0] == '?' ? text[0] == '/' : glob[0] != text[0]))
            {
                return false;
            }
            glob = glob[1..];
            text = text[1..];
        }
        return text.Length == 0;
    }
}

public enum MountPatternField
{
    MountPoint,
    FsType,
    Source,
}

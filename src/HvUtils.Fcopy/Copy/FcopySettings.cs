using System.Globalization;
using HvUtils.Core.Interop;

namespace HvUtils.Fcopy.Copy;

/// <summary>
/// The copy policy resolved once when configuration loads: allowed roots canonicalised with
/// realpath (so a symlinked root is followed once, here, and never again per copy), mode and owner.
/// </summary>
public sealed class FcopySettings
{
    public FcopySettings(IReadOnlyList<string[]> roots, int fileMode, int owner, int group, string runtimeDirectory)
    {
        Roots = roots;
        FileMode = fileMode;
        Owner = owner;
        Group = group;
        RuntimeDirectory = runtimeDirectory;
    }

    /// <summary>Canonical allowed roots as components; <c>[[]]</c> (just "/") when none is configured.</summary>
    public IReadOnlyList<string[]> Roots { get; }

    public int FileMode { get; }

    public int Owner { get; }

    public int Group { get; }

    /// <summary>Where a named temp file is recorded so a later start can sweep it.</summary>
    public string RuntimeDirectory { get; }

    /// <summary>False forces the named-temp fallback (tests of filesystems without O_TMPFILE).</summary>
    internal bool UseTmpFile { get; init; } = true;

    /// <summary>Resolves <see cref="FcopyOptions"/>; a root that does not exist is skipped (nothing can be copied there) and reported.</summary>
    public static FcopySettings From(FcopyOptions options, string runtimeDirectory, Action<string>? warn = null)
    {
        var roots = new List<string[]>();
        foreach (string root in options.AllowedRoots)
        {
            string? real = root.StartsWith('/') ? Native.RealPath(root) : null;
            if (real is null)
            {
                warn?.Invoke($"Fcopy:AllowedRoots entry '{root}' is not an existing absolute path; ignored");
                continue;
            }
            roots.Add(real.Split('/', StringSplitOptions.RemoveEmptyEntries));
        }
        if (options.AllowedRoots.Length == 0)
        {
            roots.Add([]);
        }
        int mode = Convert.ToInt32(options.FileMode, 8);
        return new FcopySettings(roots, mode, options.FileOwner, options.FileGroup, runtimeDirectory);
    }

    public override string ToString() =>
        $"roots={string.Join(',', Roots.Select(r => "/" + string.Join('/', r)))} mode={Convert.ToString(FileMode, 8).PadLeft(4, '0')} owner={Owner.ToString(CultureInfo.InvariantCulture)}:{Group.ToString(CultureInfo.InvariantCulture)}";
}

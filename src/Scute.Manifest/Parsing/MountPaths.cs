namespace Scute.Manifest.Parsing;

/// <summary>
/// Pure path arithmetic for mounts. Symlinks are deliberately not resolved: the policy layer resolves and
/// checks them at build and run time, when the answer can still be trusted.
/// </summary>
internal static class MountPaths
{
    /// <summary>Absolute, normalized host path; null when it cannot be expanded (~user, HOME unset).</summary>
    public static string? ResolveHost(string written, string manifestFolder)
    {
        string combined;
        if (written == "~" || written.StartsWith("~/", StringComparison.Ordinal))
        {
            var home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home) || !Path.IsPathRooted(home))
            {
                return null;
            }

            combined = home + "/" + written[1..];
        }
        else if (written.StartsWith('~'))
        {
            // ~user would depend on this machine's user database; say so instead of guessing.
            return null;
        }
        else
        {
            combined = Path.IsPathRooted(written) ? written : Path.Combine(manifestFolder, written);
        }

        return TrimTrailingSlash(Path.GetFullPath(combined));
    }

    /// <summary>Absolute container path with duplicate and trailing slashes and '.' removed; null if relative or with '..'.</summary>
    public static string? NormalizeContainer(string written)
    {
        if (!written.StartsWith('/'))
        {
            return null;
        }

        var segments = new List<string>();
        foreach (var segment in written.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                return null;
            }

            if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        return "/" + string.Join('/', segments);
    }

    private static string TrimTrailingSlash(string path) =>
        path.Length > 1 && path.EndsWith('/') ? path.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/" : path;
}

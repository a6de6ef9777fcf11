namespace Scute.Store.Wal;

/// <summary>Store-relative paths in WAL steps: a hostile or corrupt entry can never name a path outside the store.</summary>
internal static class WalPaths
{
    public static string ToRelative(StoreLayout layout, string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var relative = System.IO.Path.GetRelativePath(layout.Root, full);
        return Check(relative) ?? throw new ArgumentException($"{path} is not inside the store {layout.Root}", nameof(path));
    }

    /// <summary>The absolute path of a recorded relative one, or null when it is not a plain path inside the store.</summary>
    public static string? ToFull(StoreLayout layout, string? relative) =>
        Check(relative) is { } ok ? System.IO.Path.Combine(layout.Root, ok) : null;

    private static string? Check(string? relative)
    {
        if (string.IsNullOrEmpty(relative) || relative.StartsWith('/') || relative.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var parts = relative.Split('/');
        return parts.Any(p => p is "" or "." or "..") ? null : relative;
    }
}

using Scute.Core.Interop;
using Scute.Engine.Packages;

namespace Scute.Engine.Accounts;

/// <summary>
/// Reads a small file of an environment as the overlay shows it: from the topmost of its
/// trees (upper folder, then lower layers) that has the path, with no symlink on the way.
/// </summary>
internal static class TreeFiles
{
    private const long MaxBytes = 1 << 20;

    /// <summary>The text, or null when the topmost entry is missing, a link, a whiteout, a folder or too large.</summary>
    public static string? ReadTopmost(IReadOnlyList<string> trees, string containerPath) =>
        ReadTopmostBytes(trees, containerPath, MaxBytes) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    /// <summary>The bytes, or null when the topmost entry is missing, a link, a whiteout, a folder or over <paramref name="maxBytes"/>.</summary>
    public static byte[]? ReadTopmostBytes(IReadOnlyList<string> trees, string containerPath, long maxBytes)
    {
        foreach (var tree in trees)
        {
            var host = Path.Combine(tree, containerPath.TrimStart('/'));
            var info = new FileInfo(host);
            if (!info.Exists && info.LinkTarget is null && !Directory.Exists(host))
            {
                continue;
            }

            // Present in this tree: it hides the layers below, whatever it is.
            var plain = info.Exists && info.LinkTarget is null && info.Length <= maxBytes
                && RootfsLookup.Resolve(tree, containerPath) == containerPath;
            return plain ? Read(host) : null;
        }

        return null;
    }

    /// <summary>Whether the tree has nothing at the path, so the trees below it decide (what <see cref="ReadTopmostBytes"/> skips).</summary>
    public static bool IsAbsent(string tree, string containerPath)
    {
        var host = Path.Combine(tree, containerPath.TrimStart('/'));
        // No entry at all (the usual answer for an upper folder) is one syscall; anything else is looked at as ReadTopmostBytes does.
        if (!host.Contains('\0', StringComparison.Ordinal)
            && Libc.statx(Libc.AT_FDCWD, host, Libc.AT_SYMLINK_NOFOLLOW, 0, out _) != 0
            && Libc.Errno == Libc.ENOENT)
        {
            return true;
        }

        var info = new FileInfo(host);
        return !info.Exists && info.LinkTarget is null && !Directory.Exists(host);
    }

    /// <summary>A whiteout (overlayfs's 0/0 character device for a removed file) cannot be read: the file is gone.</summary>
    private static byte[]? Read(string host)
    {
        try
        {
            return File.ReadAllBytes(host);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

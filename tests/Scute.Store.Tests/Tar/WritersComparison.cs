using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Scute.Store.Overlay;
using Scute.Store.Tar;

namespace Scute.Store.Tests.Tar;

/// <summary>
/// Runs one archive the serial way (parsed and written on the extracting thread) and with the
/// file writers from the first entry, and describes how each ended and what each left.
/// </summary>
internal static class WritersComparison
{
    /// <summary>No parse-ahead, no writer threads: every file made in archive order on one thread.</summary>
    public static readonly ExtractOptions Serial = new() { ParseAheadAfter = int.MaxValue, Writers = 0 };

    /// <summary>Parsed ahead and small files handed to two writer threads from the first entry.</summary>
    public static readonly ExtractOptions WithWriters = new() { ParseAheadAfter = 0, Writers = 2 };

    /// <summary>Extracts <paramref name="tar"/> into <paramref name="target"/> (made empty), never throwing.</summary>
    public static Outcome Run(byte[] tar, string target, ExtractOptions options)
    {
        Directory.CreateDirectory(target);
        var byWriters = new StrongBox<long>();
        string ended;
        try
        {
            ended = SafeTarExtractor.Extract(new MemoryStream(tar), target, options with { FilesByWriters = byWriters }).ToString();
        }
        catch (Exception ex)
        {
            ended = $"{ex.GetType().Name}: {ex.Message}";
        }

        return new Outcome(ended, Describe(target), byWriters.Value);
    }

    /// <summary>
    /// Every path below <paramref name="root"/> with its kind, mode, size and content hash (a symlink
    /// with its target, an overlay whiteout as such, a folder marked opaque as such).
    /// </summary>
    public static string Describe(string root) => string.Join('\n', Paths(root).Select(path =>
    {
        var relative = Path.GetRelativePath(root, path);
        var info = new FileInfo(path);
        if (info.LinkTarget is { } link)
        {
            return $"{relative} -> {link}";
        }

        var mode = Convert.ToString((int)File.GetUnixFileMode(path), 8);
        if (Directory.Exists(path))
        {
            return $"{relative}/ {mode}{(OverlayMarks.IsOpaque(path) ? " opaque" : "")}";
        }

        if (OverlayMarks.IsWhiteout(path))
        {
            return $"{relative} whiteout {mode}";
        }

        return $"{relative} {mode} {info.Length} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))[..16]}";
    }));

    /// <summary>Every path below <paramref name="root"/>, in ordinal order, never through a symlink (a link to ".." would loop).</summary>
    private static IEnumerable<string> Paths(string root)
    {
        var found = new List<string>();
        var folders = new Stack<string>([root]);
        while (folders.TryPop(out var folder))
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(folder, "*", new EnumerationOptions { AttributesToSkip = 0 }))
            {
                found.Add(path);
                if (Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
                {
                    folders.Push(path);
                }
            }
        }

        return found.Order(StringComparer.Ordinal);
    }

    /// <summary>How an extraction ended (its result, or the exception's type and message), what it left, how many files the writers made.</summary>
    public sealed record Outcome(string Ended, string Tree, long FilesByWriters)
    {
        /// <summary>The ending and the tree: what must not depend on the writers.</summary>
        public string Visible => Ended + "\n" + Tree;
    }
}

using System.Text;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Engine.Operations;

/// <param name="Before">The image reference as the manifest wrote it.</param>
/// <param name="After">What it says now (the same when nothing had to change).</param>
/// <param name="Note">Why nothing changed, when nothing did.</param>
public sealed record PinResult(string ManifestPath, string Before, string After, string? Note)
{
    public bool Changed => Before != After;
}

/// <summary>
/// pin: rewrites the manifest's image reference to the digest form the lock resolved (a registry
/// reference gets <c>@sha256:</c> of its manifest, a URL <c>#sha256=</c> of its tarball), with an
/// atomic write that keeps every other byte of the file; the lock's reference follows so that
/// <c>build --locked</c> still matches. Aliases and content on this machine are pinned by the
/// lock alone: their line stays as it is.
/// </summary>
public static class PinOperation
{
    public static PinResult Run(string? manifestPath)
    {
        var path = manifestPath is null ? ManifestFiles.FindDefault(Directory.GetCurrentDirectory()) : Path.GetFullPath(manifestPath);
        var manifest = ManifestParser.ParseFile(path);
        var lockPath = ManifestFiles.LockPathFor(path);
        if (!File.Exists(lockPath))
        {
            throw new LockException($"pin: there is no lock file {lockPath}; run scute build first, then pin what it resolved");
        }

        var locked = LockFileIo.Read(lockPath);
        var written = manifest.BaseImage;
        if (locked.BaseReference != written)
        {
            throw new LockException($"pin: {lockPath} is for the image {locked.BaseReference}, the manifest now says {written}; run scute build first");
        }

        var reference = ImageReference.Parse(written, manifest.SourceFolder);
        var (pinned, note) = PinnedForm(reference, locked);
        if (pinned == written)
        {
            return new PinResult(path, written, written, note);
        }

        RewriteImageLine(path, written, pinned);
        LockFileIo.Write(lockPath, locked with { BaseReference = pinned });
        return new PinResult(path, written, pinned, null);
    }

    internal static (string Pinned, string? Note) PinnedForm(ImageReference reference, LockFile locked) => reference.Kind switch
    {
        ImageSourceKind.Registry when RegistryReference.Parse(reference.Location) is { Digest: not null } => (reference.Written, "the reference already names its digest"),
        ImageSourceKind.Registry when locked.BaseManifestDigest is { } digest => (reference.Written.Trim() + "@" + digest, null),
        ImageSourceKind.Registry => throw new LockException("pin: the lock has no manifest digest for this registry image; run scute build again with this version of scute"),
        ImageSourceKind.HttpUrl when reference.Written.Contains("#sha256=", StringComparison.Ordinal) => (reference.Written, "the URL already names its sha256"),
        ImageSourceKind.HttpUrl when locked.BaseSha256 is { } sha => (reference.Written.Trim() + "#sha256=" + sha, null),
        ImageSourceKind.HttpUrl => throw new LockException("pin: the lock has no sha256 for this URL; run scute build again with this version of scute"),
        ImageSourceKind.Alias => (reference.Written, $"an alias is pinned by the lock: image server version {locked.BaseVersion ?? "?"}, sha256 {locked.BaseSha256 ?? "?"}; build --locked uses exactly those"),
        _ => (reference.Written, $"content on this machine is pinned by its digest in the lock ({locked.BaseDigest})"),
    };

    /// <summary>Replaces the string value of [base] image, and nothing else, keeping the file's bytes and mode.</summary>
    internal static void RewriteImageLine(string path, string written, string pinned)
    {
        var text = File.ReadAllText(path);
        var lines = text.Split('\n');
        var table = string.Empty;
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (trimmed.StartsWith('[') && !trimmed.StartsWith("[[", StringComparison.Ordinal))
            {
                table = trimmed[1..].Split(']')[0].Trim();
                continue;
            }

            var isImageKey = (table == "base" && KeyIs(trimmed, "image")) || (table.Length == 0 && KeyIs(trimmed, "base.image"));
            if (!isImageKey)
            {
                continue;
            }

            foreach (var quote in new[] { "\"", "'" })
            {
                var old = quote + written + quote;
                var at = lines[i].IndexOf(old, StringComparison.Ordinal);
                if (at >= 0)
                {
                    lines[i] = lines[i][..at] + quote + pinned + quote + lines[i][(at + old.Length)..];
                    var mode = File.GetUnixFileMode(path);
                    AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(string.Join('\n', lines)));
                    File.SetUnixFileMode(path, mode);
                    return;
                }
            }
        }

        throw new EngineException($"pin: cannot find the line image = \"{written}\" of [base] in {path} to rewrite (is it written as an escaped or multi-line string?)");
    }

    private static bool KeyIs(string line, string key)
    {
        if (!line.StartsWith(key, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = line[key.Length..].TrimStart();
        return rest.StartsWith('=');
    }
}

using System.Text.Json;
using Scute.Images.Oci;
using Scute.Store;

namespace Scute.Images.Providers;

/// <summary>
/// <c>docker-archive:&lt;file&gt;</c>, what <c>docker save</c> and <c>podman save</c> write: manifest.json
/// naming a config file and layer tars. The archive streams into staging on disk; the config is
/// checked against the digest its name carries and each layer, uncompressed, against the
/// config's diff_ids. The cache key is the config digest (the image id).
/// </summary>
public static class DockerArchiveImage
{
    public static ResolvedImage Resolve(ImageCache cache, ScuteStore store, string path, string what)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(store);
        if (!File.Exists(path))
        {
            throw new ImageException($"base image {what}: no such file {path}");
        }

        var staging = store.CreateStagingDir();
        try
        {
            OciLayoutImage.ExtractArchive(path, staging, what);
            var entry = ReadManifest(staging, what);
            var configPath = Inside(staging, entry.Config, what);
            var configDigest = DigestFromName(entry.Config)
                ?? throw new ImageException($"base image {what}: config '{entry.Config}' is not named by its sha256, so it cannot be checked");
            byte[] configBytes;
            using (var config = HashingReadStream.ForExternal(OpenFile(configPath, what), configDigest, $"base image {what}: config {configDigest}"))
            {
                configBytes = OciDocuments.ReadCapped(config, $"{what}: config");
            }

            var diffIds = OciDocuments.ParseConfig(configBytes, $"{what}: config").Rootfs?.DiffIds ?? [];
            if (diffIds.Count != entry.Layers.Count)
            {
                throw new ImageException($"base image {what}: manifest.json lists {entry.Layers.Count} layers but the config has {diffIds.Count} diff_ids");
            }

            return cache.GetOrAdd("docker-" + configDigest.Hex, rootfs =>
            {
                for (var i = 0; i < entry.Layers.Count; i++)
                {
                    // diff_ids name the uncompressed tar: verify after decompression, whatever the file's own compression.
                    using var raw = OpenFile(Inside(staging, entry.Layers[i], what), what);
                    using var tar = HashingReadStream.ForExternal(Decompression.Open(raw), diffIds[i], $"base image {what}: layer {entry.Layers[i]}");
                    LayerApplier.Apply(tar, mediaType: null, rootfs, $"{what}: layer {i + 1} of {entry.Layers.Count} ({entry.Layers[i]})");
                }
            });
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private static DockerArchiveEntry ReadManifest(string staging, string what)
    {
        var path = Inside(staging, "manifest.json", what);
        if (!File.Exists(path))
        {
            throw new ImageException($"base image {what}: not a docker-archive (no manifest.json)");
        }

        byte[] bytes;
        using (var file = OpenFile(path, what))
        {
            bytes = OciDocuments.ReadCapped(file, $"{what}: manifest.json");
        }

        List<DockerArchiveEntry>? entries;
        try
        {
            entries = JsonSerializer.Deserialize(bytes, OciJsonContext.Default.ListDockerArchiveEntry);
        }
        catch (JsonException e)
        {
            throw new ImageException($"base image {what}: manifest.json is not a docker-archive manifest ({e.Message})", e);
        }

        return entries is [var only]
            ? only
            : throw new ImageException($"base image {what}: the archive holds {entries?.Count ?? 0} images; Scute reads archives holding exactly one");
    }

    /// <summary>"&lt;hex&gt;.json", "sha256:&lt;hex&gt;" or "blobs/sha256/&lt;hex&gt;" → the digest; null for other names.</summary>
    internal static Digest? DigestFromName(string name)
    {
        var file = name[(name.LastIndexOf('/') + 1)..];
        if (file.EndsWith(".json", StringComparison.Ordinal))
        {
            file = file[..^".json".Length];
        }

        return Digest.TryParse(file, out var d) ? d : null;
    }

    /// <summary>A name from the archive's manifest, resolved inside the staging folder: no absolute path, no "..", no symlink on the way.</summary>
    internal static string Inside(string root, string relative, string what)
    {
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (relative.StartsWith('/') || parts.Length == 0 || parts.Contains(".."))
        {
            throw new ImageException($"base image {what}: manifest.json names '{relative}', which is outside the archive");
        }

        var path = root;
        foreach (var part in parts)
        {
            path = Path.Combine(path, part);
            if (new FileInfo(path).LinkTarget is not null)
            {
                throw new ImageException($"base image {what}: '{relative}' in the archive goes through a symlink; refused");
            }
        }

        return path;
    }

    private static FileStream OpenFile(string path, string what)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageException($"base image {what}: {Path.GetFileName(path)} is missing from the archive", e);
        }
    }
}

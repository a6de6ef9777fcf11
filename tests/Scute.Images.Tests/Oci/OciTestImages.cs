using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Scute.Store;

namespace Scute.Images.Tests.Oci;

/// <summary>Makes layer tars, OCI layouts, oci-archives and docker-archives in memory for the tests.</summary>
internal static class OciTestImages
{
    public const string GzipLayer = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string ZstdLayer = "application/vnd.oci.image.layer.v1.tar+zstd";
    public const string TarLayer = "application/vnd.oci.image.layer.v1.tar";

    public static byte[] Tar(params TarEntry[] entries)
    {
        using var ms = new MemoryStream();
        using (var writer = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var e in entries)
            {
                writer.WriteEntry(e);
            }
        }

        return ms.ToArray();
    }

    public static PaxTarEntry Dir(string name) => new(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 };

    public static PaxTarEntry File(string name, string content = "x") =>
        new(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };

    public static PaxTarEntry Symlink(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target };

    public static PaxTarEntry Hardlink(string name, string target) => new(TarEntryType.HardLink, name) { LinkName = target };

    public static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }

        return ms.ToArray();
    }

    public static byte[] Zstd(byte[] data)
    {
        using var compressor = new ZstdSharp.Compressor();
        return compressor.Wrap(data).ToArray();
    }

    /// <summary>An OCI layout being written: blobs by digest, then index.json.</summary>
    public sealed class Layout(string dir)
    {
        private readonly JsonArray _index = [];

        public string Dir { get; } = dir;

        public JsonObject Blob(byte[] content, string mediaType)
        {
            var digest = Digest.Compute(content);
            Directory.CreateDirectory(Path.Combine(Dir, "blobs", "sha256"));
            System.IO.File.WriteAllBytes(Path.Combine(Dir, "blobs", "sha256", digest.Hex), content);
            return new JsonObject { ["mediaType"] = mediaType, ["digest"] = digest.ToString(), ["size"] = content.Length };
        }

        /// <summary>Writes config + manifest for the layers (each given with its media type) and returns the manifest descriptor.</summary>
        public JsonObject Image(string architecture, params (byte[] Blob, string MediaType)[] layers)
        {
            var config = new JsonObject
            {
                ["architecture"] = architecture,
                ["os"] = "linux",
                ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() },
            };
            var configDesc = Blob(Encoding.UTF8.GetBytes(config.ToJsonString()), "application/vnd.oci.image.config.v1+json");
            var layerDescs = new JsonArray();
            foreach (var (blob, mediaType) in layers)
            {
                layerDescs.Add((JsonNode)Blob(blob, mediaType));
            }

            var manifest = new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["config"] = configDesc,
                ["layers"] = layerDescs,
            };
            return Blob(Encoding.UTF8.GetBytes(manifest.ToJsonString()), "application/vnd.oci.image.manifest.v1+json");
        }

        /// <summary>An image index over the given manifest descriptors, each with its platform.</summary>
        public JsonObject Index(params (JsonObject Manifest, string Architecture)[] entries)
        {
            var manifests = new JsonArray();
            foreach (var (m, arch) in entries)
            {
                var copy = (JsonObject)m.DeepClone();
                copy["platform"] = new JsonObject { ["architecture"] = arch, ["os"] = "linux" };
                manifests.Add((JsonNode)copy);
            }

            var index = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = "application/vnd.oci.image.index.v1+json", ["manifests"] = manifests };
            return Blob(Encoding.UTF8.GetBytes(index.ToJsonString()), "application/vnd.oci.image.index.v1+json");
        }

        public void Tag(JsonObject descriptor, string? tag)
        {
            var copy = (JsonObject)descriptor.DeepClone();
            if (tag is not null)
            {
                copy["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag };
            }

            _index.Add((JsonNode)copy);
            var index = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = "application/vnd.oci.image.index.v1+json", ["manifests"] = _index.DeepClone() };
            System.IO.File.WriteAllText(Path.Combine(Dir, "index.json"), index.ToJsonString());
            System.IO.File.WriteAllText(Path.Combine(Dir, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        }
    }

    /// <summary>A tar of a folder's files (relative names), as an oci-archive or docker-archive is.</summary>
    public static void TarFolder(string folder, string archive)
    {
        using var file = System.IO.File.Create(archive);
        using var writer = new TarWriter(file, TarEntryFormat.Pax);
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            writer.WriteEntryAsync(path, Path.GetRelativePath(folder, path)).GetAwaiter().GetResult();
        }
    }
}

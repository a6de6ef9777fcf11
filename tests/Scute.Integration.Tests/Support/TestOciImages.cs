using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Scute.Integration.Tests.Support;

/// <summary>
/// Writes OCI image layouts for the registry and layout tests: layer tars made here (a static
/// busybox from /bin/busybox, files, whiteouts), gzip-compressed, a config with the right
/// diff_ids, a manifest, and index.json, optionally a two-platform index.
/// </summary>
public static class TestOciImages
{
    public const string Busybox = "/bin/busybox";

    public static string HostArchitecture => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";

    /// <summary>Layer 1: busybox, /bin/sh, /etc/motd, /etc/doomed, /etc/unique; layer 2: a whiteout of /etc/doomed and /etc/layer2.</summary>
    public static (byte[] Tar, string Name)[] TwoLayers(string unique) =>
    [
        (Tar(w =>
        {
            Dir(w, "bin/");
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { Mode = (UnixFileMode)0b111_101_101, DataStream = File.OpenRead(Busybox) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/sh") { LinkName = "busybox" });
            Dir(w, "etc/");
            FileEntry(w, "etc/motd", "from the registry\n");
            FileEntry(w, "etc/doomed", "deleted by layer 2\n");
            FileEntry(w, "etc/unique", unique + "\n");
            Dir(w, "tmp/");
        }), "base"),
        (Tar(w =>
        {
            Dir(w, "etc/");
            FileEntry(w, "etc/.wh.doomed", "");
            FileEntry(w, "etc/layer2", "second layer\n");
        }), "top"),
    ];

    /// <summary>Writes a layout in <paramref name="dir"/> holding one image per architecture (an index when more than one), tagged <paramref name="tag"/>.</summary>
    public static void WriteLayout(string dir, string tag, string unique, params string[] architectures) =>
        WriteLayout(dir, tag, arch =>
        [
            .. TwoLayers(unique + "-" + arch).Select(l => l.Tar),
            Tar(w =>
            {
                Dir(w, "etc/");
                FileEntry(w, "etc/arch", arch + "\n");
            }),
        ], architectures);

    /// <summary>A layer tar written by <paramref name="write"/> (for hostile layers).</summary>
    public static byte[] Layer(Action<TarWriter> write) => Tar(write);

    /// <summary>Writes a layout whose image for each architecture has the layers <paramref name="layersFor"/> gives.</summary>
    public static void WriteLayout(string dir, string tag, Func<string, List<byte[]>> layersFor, params string[] architectures)
    {
        Directory.CreateDirectory(Path.Combine(dir, "blobs", "sha256"));
        var manifests = new List<JsonObject>();
        foreach (var arch in architectures)
        {
            var all = layersFor(arch);
            var config = new JsonObject
            {
                ["architecture"] = arch,
                ["os"] = "linux",
                ["config"] = new JsonObject(),
                ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray([.. all.Select(t => (JsonNode)Sha(t))]) },
            };
            var layerDescs = new JsonArray([.. all.Select(t => (JsonNode)Blob(dir, Gzip(t), "application/vnd.oci.image.layer.v1.tar+gzip"))]);
            var manifest = new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["config"] = Blob(dir, Encoding.UTF8.GetBytes(config.ToJsonString()), "application/vnd.oci.image.config.v1+json"),
                ["layers"] = layerDescs,
            };
            var desc = Blob(dir, Encoding.UTF8.GetBytes(manifest.ToJsonString()), "application/vnd.oci.image.manifest.v1+json");
            desc["platform"] = new JsonObject { ["architecture"] = arch, ["os"] = "linux" };
            manifests.Add(desc);
        }

        var top = manifests.Count == 1
            ? manifests[0]
            : Blob(dir, Encoding.UTF8.GetBytes(new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = "application/vnd.oci.image.index.v1+json",
                ["manifests"] = new JsonArray([.. manifests.Select(m => (JsonNode)m)]),
            }.ToJsonString()), "application/vnd.oci.image.index.v1+json");
        top["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag };
        File.WriteAllText(Path.Combine(dir, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        File.WriteAllText(Path.Combine(dir, "index.json"), new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(top),
        }.ToJsonString());
    }

    private static JsonObject Blob(string dir, byte[] content, string mediaType)
    {
        var digest = Sha(content);
        File.WriteAllBytes(Path.Combine(dir, "blobs", "sha256", digest["sha256:".Length..]), content);
        return new JsonObject { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = content.Length };
    }

    private static string Sha(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private static byte[] Tar(Action<TarWriter> write)
    {
        using var ms = new MemoryStream();
        using (var writer = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(writer);
        }

        return ms.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }

        return ms.ToArray();
    }

    private static void Dir(TarWriter w, string name) => w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 });

    private static void FileEntry(TarWriter w, string name, string content) =>
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
}

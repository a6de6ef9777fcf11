using System.Text;
using System.Text.Json.Nodes;
using Scute.Images.Oci;
using Scute.Manifest;
using Scute.Store;
using static Scute.Images.Tests.Oci.OciTestImages;

namespace Scute.Images.Tests.Oci;

/// <summary>oci:, oci-archive: and docker-archive: references resolved through the image cache, every blob checked.</summary>
public sealed class OciLayoutTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    private ResolvedImage Resolve(string reference, Action<string>? log = null, string store = "store") =>
        new ImageResolver(ScuteStore.OpenOrCreate(temp.Combine(store)), log).Resolve(ImageReference.Parse(reference, temp.Path));

    /// <summary>A two-layer image: layer 1 adds etc/motd and etc/doomed, layer 2 whites out etc/doomed.</summary>
    private Layout TwoLayerLayout(string name = "layout", string? tag = null)
    {
        var layout = new Layout(temp.Combine(name));
        var manifest = layout.Image(
            PlatformChoice.HostArchitecture,
            (Gzip(Tar(Dir("etc/"), File("etc/motd", "from layout"), File("etc/doomed", "bye"))), GzipLayer),
            (Tar(File("etc/.wh.doomed", "")), TarLayer));
        layout.Tag(manifest, tag);
        return layout;
    }

    [Fact]
    public void Oci_layout_resolves_with_whiteouts_applied_and_its_manifest_digest_recorded()
    {
        var layout = TwoLayerLayout();

        var image = Resolve("oci:" + layout.Dir);

        Assert.Equal("from layout", System.IO.File.ReadAllText(Path.Combine(image.RootfsPath, "etc/motd")));
        Assert.False(System.IO.File.Exists(Path.Combine(image.RootfsPath, "etc/doomed")));
        Assert.NotNull(image.ManifestDigest);
        Assert.Equal("oci-" + image.ManifestDigest!.Value.Hex, image.Key);
    }

    [Fact]
    public void A_tag_picks_the_image_by_its_ref_name_annotation()
    {
        var layout = TwoLayerLayout(tag: "1.0");
        var other = layout.Image(PlatformChoice.HostArchitecture, (Tar(File("other", "2")), TarLayer));
        layout.Tag(other, "2.0");

        var image = Resolve($"oci:{layout.Dir}:2.0");
        var missing = Assert.Throws<ImageException>(() => Resolve($"oci:{layout.Dir}:3.0"));
        var ambiguous = Assert.Throws<ImageException>(() => Resolve($"oci:{layout.Dir}"));

        Assert.True(System.IO.File.Exists(Path.Combine(image.RootfsPath, "other")));
        Assert.Contains("1.0, 2.0", missing.Message);
        Assert.Contains(":<tag>", ambiguous.Message);
    }

    [Fact]
    public void An_index_in_the_layout_gives_the_host_platform_and_says_so()
    {
        var layout = new Layout(temp.Combine("multi"));
        var amd = layout.Image("amd64", (Tar(File("arch", "amd64")), TarLayer));
        var arm = layout.Image("arm64", (Tar(File("arch", "arm64")), TarLayer));
        layout.Tag(layout.Index((amd, "amd64"), (arm, "arm64")), "multi");
        var said = new List<string>();

        var image = Resolve($"oci:{layout.Dir}:multi", said.Add);

        Assert.Equal(PlatformChoice.HostArchitecture, System.IO.File.ReadAllText(Path.Combine(image.RootfsPath, "arch")));
        Assert.Contains(said, l => l.Contains("linux/" + PlatformChoice.HostArchitecture, StringComparison.Ordinal));
    }

    [Fact]
    public void A_corrupted_layout_blob_is_a_digest_mismatch_and_nothing_is_cached()
    {
        var layout = TwoLayerLayout();
        var manifest = JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(layout.Dir, "index.json")))!["manifests"]![0]!["digest"]!.GetValue<string>();
        var manifestJson = JsonNode.Parse(System.IO.File.ReadAllBytes(Path.Combine(layout.Dir, "blobs/sha256", manifest[7..])))!;
        var layer = manifestJson["layers"]![1]!["digest"]!.GetValue<string>()[7..];
        var blob = Path.Combine(layout.Dir, "blobs/sha256", layer);
        var bytes = System.IO.File.ReadAllBytes(blob);
        bytes[600] ^= 0x20;
        System.IO.File.WriteAllBytes(blob, bytes);

        var e = Assert.Throws<ContentDigestMismatchException>(() => Resolve("oci:" + layout.Dir));

        Assert.Contains(layer, e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Combine("store", "images")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Combine("store", "store", "staging")));
    }

    [Fact]
    public void Oci_archive_gives_the_same_image_as_the_layout()
    {
        var layout = TwoLayerLayout(tag: "v1");
        TarFolder(layout.Dir, temp.Combine("image.tar"));

        var fromLayout = Resolve($"oci:{layout.Dir}:v1");
        var fromArchive = Resolve($"oci-archive:{temp.Combine("image.tar")}:v1");

        Assert.Equal(fromLayout.ContentDigest, fromArchive.ContentDigest);
        Assert.Equal(fromLayout.ManifestDigest, fromArchive.ManifestDigest);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Combine("store", "store", "staging")));
    }

    [Fact]
    public void Docker_archive_applies_its_layers_checked_against_the_config_diff_ids()
    {
        var dir = temp.Combine("docker");
        Directory.CreateDirectory(dir);
        var layer1 = Tar(Dir("etc/"), File("etc/motd", "from docker"), File("etc/doomed", "bye"));
        var layer2 = Tar(File("etc/.wh.doomed", ""));
        System.IO.File.WriteAllBytes(Path.Combine(dir, "l1.tar"), layer1);
        System.IO.File.WriteAllBytes(Path.Combine(dir, "l2.tar"), layer2);
        var config = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["os"] = "linux",
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(Digest.Compute(layer1).ToString(), Digest.Compute(layer2).ToString()) },
        }.ToJsonString());
        var configName = Digest.Compute(config).Hex + ".json";
        System.IO.File.WriteAllBytes(Path.Combine(dir, configName), config);
        System.IO.File.WriteAllText(Path.Combine(dir, "manifest.json"), $"[{{\"Config\":\"{configName}\",\"RepoTags\":[\"x:1\"],\"Layers\":[\"l1.tar\",\"l2.tar\"]}}]");
        TarFolder(dir, temp.Combine("docker.tar"));

        var image = Resolve("docker-archive:" + temp.Combine("docker.tar"));
        System.IO.File.WriteAllBytes(Path.Combine(dir, "l2.tar"), Tar(File("etc/.wh.motd", "")));
        TarFolder(dir, temp.Combine("tampered.tar"));

        Assert.Equal("from docker", System.IO.File.ReadAllText(Path.Combine(image.RootfsPath, "etc/motd")));
        Assert.False(System.IO.File.Exists(Path.Combine(image.RootfsPath, "etc/doomed")));
        // A fresh store: in the first one the image id is already cached, and the cache is keyed by it.
        Assert.Throws<ContentDigestMismatchException>(() => Resolve("docker-archive:" + temp.Combine("tampered.tar"), store: "other"));
    }
}

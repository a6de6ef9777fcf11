using System.Text;
using System.Text.Json.Nodes;
using Scute.Engine.Export;
using Scute.Store;

namespace Scute.Engine.Tests.Export;

public sealed class OciImageDocumentsTests
{
    private static readonly Digest LayerA = Digest.Compute("a"u8);
    private static readonly Digest LayerB = Digest.Compute("b"u8);

    private static ImageConfigInput Input() => new()
    {
        Uid = 1001,
        Gid = 1002,
        Cmd = ["/bin/bash", "-l"],
        Env = new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["HOME"] = "/home/scute" },
        Labels = new Dictionary<string, string> { ["org.scute.env-id"] = "abc", ["org.scute.lock-checksum"] = "sha256:00" },
        DiffIds = [LayerA, LayerB],
        Architecture = "amd64",
    };

    private static JsonObject Parse(byte[] json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Config_carries_user_command_environment_labels_and_diff_ids()
    {
        var config = Parse(OciImageDocuments.Config(Input()));

        var c = config["config"]!;
        Assert.Equal("1001:1002", c["User"]!.GetValue<string>());
        Assert.Equal(["/bin/bash", "-l"], c["Cmd"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Null(c["Entrypoint"]);
        Assert.Equal(["HOME=/home/scute", "PATH=/usr/bin"], c["Env"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal("abc", c["Labels"]!["org.scute.env-id"]!.GetValue<string>());
        Assert.Equal("linux", config["os"]!.GetValue<string>());
        Assert.Equal("amd64", config["architecture"]!.GetValue<string>());
        Assert.Equal("1970-01-01T00:00:00Z", config["created"]!.GetValue<string>());
        Assert.Equal("layers", config["rootfs"]!["type"]!.GetValue<string>());
        Assert.Equal([LayerA.ToString(), LayerB.ToString()], config["rootfs"]!["diff_ids"]!.AsArray().Select(x => x!.GetValue<string>()));
    }

    [Fact]
    public void Documents_are_canonical_json_and_reproducible()
    {
        var config = OciImageDocuments.Config(Input());

        Assert.Equal(config, OciImageDocuments.Config(Input()));
        Assert.Equal(config, CanonicalJson.Canonicalize(config));
        Assert.DoesNotContain((byte)'\n', config);
        Assert.NotEqual(config, OciImageDocuments.Config(Input() with { Uid = 1003 }));
    }

    [Fact]
    public void Manifest_names_the_config_and_uncompressed_layers()
    {
        var manifest = Parse(OciImageDocuments.Manifest(new OciBlob(LayerA, 10), [new OciBlob(LayerA, 10), new OciBlob(LayerB, 2048)], new Dictionary<string, string>()));

        Assert.Equal(2, manifest["schemaVersion"]!.GetValue<int>());
        Assert.Equal(OciImageDocuments.ManifestMediaType, manifest["mediaType"]!.GetValue<string>());
        Assert.Equal(OciImageDocuments.ConfigMediaType, manifest["config"]!["mediaType"]!.GetValue<string>());
        var layers = manifest["layers"]!.AsArray();
        Assert.All(layers, l => Assert.Equal("application/vnd.oci.image.layer.v1.tar", l!["mediaType"]!.GetValue<string>()));
        Assert.Equal(2048, layers[1]!["size"]!.GetValue<long>());
        Assert.Equal(LayerB.ToString(), layers[1]!["digest"]!.GetValue<string>());
        Assert.Null(manifest["annotations"]);
    }

    [Fact]
    public void Index_names_the_one_manifest_by_its_reference()
    {
        var index = Parse(OciImageDocuments.Index(new OciBlob(LayerB, 99), "localhost/scute/web:0123456789ab"));

        var m = index["manifests"]!.AsArray().Single()!;
        Assert.Equal(LayerB.ToString(), m["digest"]!.GetValue<string>());
        Assert.Equal(99, m["size"]!.GetValue<long>());
        Assert.Equal("localhost/scute/web:0123456789ab", m["annotations"]![OciImageDocuments.RefNameAnnotation]!.GetValue<string>());
        Assert.Equal("""{"imageLayoutVersion":"1.0.0"}""", Encoding.UTF8.GetString(OciImageDocuments.Layout()));
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Scute.Engine.Sbom;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Engine.Tests.Sbom;

public sealed class SpdxDocumentTests : IDisposable
{
    private const string EnvId = "6b6ebc3ef3ab0123456789abcdef0123456789abcdef0123456789abcdef0123";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "scute-sbom-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static SbomSubject Subject(params string[] apps) => new(
        EnvId, "registry.example/debian:12", Digest.Compute("tree"u8), Digest.Compute("manifest"u8), apps, [new ResolvedPackage("gimp", "2.10")], DateTimeOffset.UnixEpoch);

    private string Layer(string name, string path, string content)
    {
        var file = Path.Combine(_root, name, path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return Path.Combine(_root, name);
    }

    [Fact]
    public void Document_has_every_field_spdx_2_3_requires_and_lists_the_base_with_its_digest()
    {
        var root = Layer("base", PackageDatabases.DpkgStatus, PackageDatabasesTests.Status);
        Layer("base", "/etc/os-release", "ID=debian\n");

        var document = JsonNode.Parse(EnvironmentSbom.Describe(Subject("bash", "gimp"), [root]))!;

        SpdxShape.AssertValid(document);
        Assert.Equal(SpdxDocument.NamespacePrefix + EnvId, document["documentNamespace"]!.GetValue<string>());
        Assert.Equal("1970-01-01T00:00:00Z", document["creationInfo"]!["created"]!.GetValue<string>());
        var packages = document["packages"]!.AsArray().Select(p => p!).ToList();
        var image = packages.Single(p => p["SPDXID"]!.GetValue<string>() == SpdxDocument.BaseImageId);
        Assert.Equal("registry.example/debian:12", image["name"]!.GetValue<string>());
        Assert.Equal(Digest.Compute("manifest"u8).ToString(), image["versionInfo"]!.GetValue<string>());
        var bash = packages.Single(p => p["name"]!.GetValue<string>() == "bash");
        Assert.Equal("5.2.15-2+b7", bash["versionInfo"]!.GetValue<string>());
        Assert.Equal("Person: Matthias Klose (doko@debian.org)", bash["supplier"]!.GetValue<string>());
        Assert.Equal("pkg:deb/debian/bash@5.2.15-2%2Bb7?arch=amd64", bash["externalRefs"]![0]!["referenceLocator"]!.GetValue<string>());
        Assert.NotNull(bash["comment"]);
        // An app the database does not list keeps the version the build resolved.
        Assert.Equal("2.10", packages.Single(p => p["name"]!.GetValue<string>() == "gimp")["versionInfo"]!.GetValue<string>());
        Assert.DoesNotContain(packages, p => p["name"]!.GetValue<string>() == "removed-one");
    }

    [Fact]
    public void Same_environment_gives_the_same_bytes_in_canonical_json()
    {
        var root = Layer("base", PackageDatabases.DpkgStatus, PackageDatabasesTests.Status);

        var first = EnvironmentSbom.Describe(Subject(), [root]);
        var second = EnvironmentSbom.Describe(Subject(), [root]);

        Assert.Equal(first, second);
        Assert.Equal(Encoding.UTF8.GetString(first), CanonicalJson.Serialize(JsonNode.Parse(first)));
    }

    [Fact]
    public void The_topmost_layer_with_the_database_wins()
    {
        var lower = Layer("base", PackageDatabases.DpkgStatus, PackageDatabasesTests.Status);
        var upper = Layer("deps", PackageDatabases.DpkgStatus, PackageDatabasesTests.Status + "\n\nPackage: curl\nStatus: install ok installed\nVersion: 7.88.1-10\nArchitecture: amd64\n");

        var names = JsonNode.Parse(EnvironmentSbom.Describe(Subject(), [upper, lower]))!["packages"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();

        Assert.Contains("curl", names);
        Assert.Contains("libc6", names);
    }

    [Fact]
    public void Apk_packages_are_listed()
    {
        var root = Layer("alpine", PackageDatabases.ApkInstalled, "P:musl\nV:1.2.4-r2\nA:x86_64\nm:Timo Teras <timo.teras@iki.fi>\n");

        var document = JsonNode.Parse(EnvironmentSbom.Describe(Subject(), [root]))!;

        SpdxShape.AssertValid(document);
        Assert.Contains(document["packages"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "musl" && p["versionInfo"]!.GetValue<string>() == "1.2.4-r2");
    }

    [Fact]
    public void Package_ids_stay_apart_when_names_differ_only_in_characters_an_id_cannot_hold()
    {
        Assert.NotEqual(SpdxDocument.PackageId("deb", "libstdc++6", "1", "amd64"), SpdxDocument.PackageId("deb", "libstdc--6", "1", "amd64"));
        Assert.NotEqual(SpdxDocument.PackageId("deb", "libc6", "1", "amd64"), SpdxDocument.PackageId("deb", "libc6", "1", "i386"));
    }

    [Theory]
    [InlineData("1700000000", "2023-11-14T22:13:20Z")]
    [InlineData(null, "1970-01-01T00:00:00Z")]
    [InlineData("yesterday", "1970-01-01T00:00:00Z")]
    public void Creation_date_comes_from_source_date_epoch_or_is_the_epoch(string? value, string expected) =>
        Assert.Equal(expected, EnvironmentSbom.SourceDate(_ => value).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
}

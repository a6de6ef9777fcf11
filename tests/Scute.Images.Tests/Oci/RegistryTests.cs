using System.Text;
using System.Text.Json.Nodes;
using Scute.Images.Oci;
using Scute.Images.Providers;
using Scute.Images.Registry;
using Scute.Manifest;
using Scute.Store;
using static Scute.Images.Tests.Oci.OciTestImages;

namespace Scute.Images.Tests.Oci;

/// <summary>The registry client against a fake HTTP handler: auth flows, platform choice, verification, caching, the insecure rule.</summary>
public sealed class RegistryTests : IDisposable
{
    private const string Reference = "fake.test/team/app:1.0";
    private readonly TempDir temp = new();
    private readonly Dictionary<string, string> env = new(StringComparer.Ordinal);

    public RegistryTests() => env["HOME"] = temp.Combine("home");

    public void Dispose() => temp.Dispose();

    private ScuteStore Store => ScuteStore.OpenOrCreate(temp.Combine("store"));

    private ResolvedImage Pull(FakeRegistry registry, string reference = Reference, Action<string>? log = null)
    {
        var store = Store;
        return RegistryImage.Resolve(new ImageCache(store), store, ImageReference.Parse(reference, "/"), log, registry, env.GetValueOrDefault);
    }

    /// <summary>Writes an auth file; a relative path is under the test's HOME.</summary>
    private void WriteAuthFile(string relative, string key, string user, string password)
    {
        var path = Path.Combine(env["HOME"], relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        System.IO.File.WriteAllText(path, new JsonObject { ["auths"] = new JsonObject { [key] = new JsonObject { ["auth"] = auth } } }.ToJsonString());
    }

    [Fact]
    public void Anonymous_pull_unpacks_the_image_and_records_its_manifest_digest()
    {
        var registry = new FakeRegistry();
        var manifest = registry.AddImage(Tar(File("hello", "registry")), "1.0");

        var image = Pull(registry);

        Assert.Equal("registry", System.IO.File.ReadAllText(Path.Combine(image.RootfsPath, "hello")));
        Assert.Equal(manifest["digest"]!.GetValue<string>(), image.ManifestDigest.ToString());
        Assert.All(registry.Requests, r => Assert.Equal("https", r.RequestUri!.Scheme));
    }

    [Fact]
    public void Bearer_challenge_gets_a_token_with_the_auth_file_credentials_and_reuses_it()
    {
        var registry = new FakeRegistry { Auth = FakeRegistry.AuthMode.Bearer };
        registry.AddImage(Tar(File("hello", "secret image")), "1.0");
        WriteAuthFile(".config/containers/auth.json", "fake.test", "alice", "s3cret");

        var image = Pull(registry);

        Assert.Equal("secret image", System.IO.File.ReadAllText(Path.Combine(image.RootfsPath, "hello")));
        var tokenRequests = registry.Requests.Where(r => r.RequestUri!.Host == "auth.test").ToList();
        Assert.Single(tokenRequests);
        // After the one challenge, every request carries the token: one 401, then none.
        Assert.Equal(1, registry.AuthorizationHeaders.Count(h => h.Length == 0));
        Assert.Equal(3, registry.AuthorizationHeaders.Count(h => h == "Bearer tok-123"));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret")), tokenRequests[0].Headers.Authorization!.ToString());
    }

    [Fact]
    public void Basic_challenge_is_answered_from_docker_config_json()
    {
        var registry = new FakeRegistry { Auth = FakeRegistry.AuthMode.Basic };
        registry.AddImage(Tar(File("hello", "basic")), "1.0");
        WriteAuthFile(".docker/config.json", "https://fake.test/v1/", "alice", "s3cret");

        var image = Pull(registry);

        Assert.Equal("basic", System.IO.File.ReadAllText(Path.Combine(image.RootfsPath, "hello")));
    }

    [Fact]
    public void Xdg_runtime_auth_file_comes_before_the_config_one()
    {
        var registry = new FakeRegistry { Auth = FakeRegistry.AuthMode.Basic };
        registry.AddImage(Tar(File("hello", "basic")), "1.0");
        env["XDG_RUNTIME_DIR"] = temp.Combine("run");
        WriteAuthFile(temp.Combine("run", "containers", "auth.json"), "fake.test", "alice", "s3cret");
        WriteAuthFile(".config/containers/auth.json", "fake.test", "alice", "wrong");

        Pull(registry);
    }

    [Fact]
    public void Without_credentials_a_protected_registry_is_one_clear_error()
    {
        var registry = new FakeRegistry { Auth = FakeRegistry.AuthMode.Bearer };
        registry.AddImage(Tar(File("hello")), "1.0");

        var e = Assert.Throws<ImageException>(() => Pull(registry));

        Assert.Contains("no credentials", e.Message);
        Assert.Contains(Reference, e.Message);
    }

    [Fact]
    public void A_manifest_list_gives_the_host_platform_and_says_which()
    {
        var registry = new FakeRegistry();
        var amd = registry.AddImage(Tar(File("arch", "amd64")), null);
        var arm = registry.AddImage(Tar(File("arch", "arm64")), null);
        amd["platform"] = new JsonObject { ["architecture"] = "amd64", ["os"] = "linux" };
        arm["platform"] = new JsonObject { ["architecture"] = "arm64", ["os"] = "linux", ["variant"] = "v8" };
        var attestation = (JsonObject)amd.DeepClone();
        attestation["platform"] = new JsonObject { ["architecture"] = "unknown", ["os"] = "unknown" };
        registry.AddManifest(
            new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = OciMediaTypes.DockerManifestList, ["manifests"] = new JsonArray(attestation, arm, amd) },
            OciMediaTypes.DockerManifestList, "1.0");
        var said = new List<string>();

        var image = Pull(registry, log: said.Add);

        Assert.Equal(PlatformChoice.HostArchitecture, System.IO.File.ReadAllText(Path.Combine(image.RootfsPath, "arch")));
        Assert.Contains(said, l => l.Contains("linux/" + PlatformChoice.HostArchitecture, StringComparison.Ordinal));
    }

    [Fact]
    public void An_index_without_the_host_platform_names_what_it_offers()
    {
        var registry = new FakeRegistry();
        var s390 = registry.AddImage(Tar(File("x")), null);
        s390["platform"] = new JsonObject { ["architecture"] = "s390x", ["os"] = "linux" };
        registry.AddManifest(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = OciMediaTypes.OciIndex, ["manifests"] = new JsonArray(s390) }, OciMediaTypes.OciIndex, "1.0");

        var e = Assert.Throws<ImageException>(() => Pull(registry));

        Assert.Contains("linux/s390x", e.Message);
    }

    [Fact]
    public void A_corrupted_blob_is_a_digest_mismatch_and_nothing_is_kept()
    {
        var registry = new FakeRegistry();
        var manifest = registry.AddImage(Tar(File("hello", "good")), "1.0");
        var layerDigest = LayerOf(registry, manifest);
        registry.Corrupt[layerDigest] = Gzip(Tar(File("hello", "evil")));

        var e = Assert.Throws<ContentDigestMismatchException>(() => Pull(registry));

        Assert.Contains(layerDigest.ToString(), e.Message);
        Assert.False(Store.Objects.Contains(layerDigest));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Store.Layout.StagingDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Store.Layout.ImagesDir));
    }

    [Fact]
    public void Among_parallel_downloads_the_corrupted_one_is_reported_and_only_good_blobs_are_kept()
    {
        var registry = new FakeRegistry();
        var layers = Enumerable.Range(0, 6).Select(i => registry.Descriptor(Gzip(Tar(File($"f{i}", new string('x', i * 1000)))), GzipLayer)).ToList();
        var bad = Digest.Parse(layers[4]["digest"]!.GetValue<string>());
        registry.Corrupt[bad] = Gzip(Tar(File("f4", "evil")));
        registry.AddManifest(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.OciManifest,
            ["config"] = registry.Descriptor("{\"os\":\"linux\"}"u8.ToArray(), "application/vnd.oci.image.config.v1+json"),
            ["layers"] = new JsonArray([.. layers]),
        }, OciMediaTypes.OciManifest, "1.0");

        var e = Assert.Throws<ContentDigestMismatchException>(() => Pull(registry));

        Assert.Equal(bad, e.Expected);
        Assert.False(Store.Objects.Contains(bad));
        Assert.All(Store.Objects.List(), d => Assert.NotEqual(bad, d));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Store.Layout.StagingDir));
    }

    [Fact]
    public void A_blob_longer_than_its_declared_size_is_cut_off_and_not_kept()
    {
        var registry = new FakeRegistry();
        var manifest = registry.AddImage(Tar(File("hello", "good")), "1.0");
        var layer = LayerOf(registry, manifest);
        registry.Corrupt[layer] = new byte[1024 * 1024];

        var e = Assert.Throws<ContentDigestMismatchException>(() => Pull(registry));

        Assert.Contains("bytes its descriptor declares", e.Message);
        Assert.False(Store.Objects.Contains(layer));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Store.Layout.StagingDir));
    }

    [Fact]
    public void A_manifest_that_does_not_match_the_pinned_digest_is_refused()
    {
        var registry = new FakeRegistry();
        registry.AddImage(Tar(File("hello")), "1.0");
        var pinned = "fake.test/team/app@sha256:" + new string('a', 64);
        registry.AddManifest(new JsonObject { ["schemaVersion"] = 2 }, OciMediaTypes.OciManifest, "sha256:" + new string('a', 64));

        Assert.Throws<ContentDigestMismatchException>(() => Pull(registry, pinned));
    }

    [Fact]
    public void A_blob_already_in_the_store_is_never_fetched_again()
    {
        var registry = new FakeRegistry();
        registry.AddImage(Tar(File("hello", "once")), "1.0");

        Pull(registry);
        var first = registry.BlobGets;
        Pull(registry);
        Directory.Delete(Store.Layout.ImagesDir, recursive: true);
        Directory.CreateDirectory(Store.Layout.ImagesDir);
        var again = Pull(registry);

        Assert.Equal(2, first);
        Assert.Equal(first, registry.BlobGets);
        Assert.Equal("once", System.IO.File.ReadAllText(Path.Combine(again.RootfsPath, "hello")));
    }

    [Theory]
    [InlineData(null, "fake.test:5000", "https")]
    [InlineData("fake.test:5000", "fake.test:5000", "http")]
    [InlineData("other.test:5000, fake.test:5000", "fake.test:5000", "http")]
    [InlineData("fake.test:5001", "fake.test:5000", "https")]
    [InlineData("fake.test", "fake.test:5000", "https")]
    public void Plain_http_only_for_registries_listed_as_insecure(string? list, string host, string scheme)
    {
        Assert.Equal(scheme, RegistryEndpoint.BaseUri(host, list).Scheme);
    }

    [Fact]
    public void An_insecure_registry_is_really_asked_over_http()
    {
        var registry = new FakeRegistry();
        registry.AddImage(Tar(File("hello")), "1.0");
        env[RegistryEndpoint.InsecureVariable] = "fake.test:5000";

        Pull(registry, "fake.test:5000/team/app:1.0");

        Assert.All(registry.Requests, r => Assert.Equal("http://fake.test:5000", r.RequestUri!.GetLeftPart(UriPartial.Authority)));
    }

    [Fact]
    public void Challenge_parameters_keep_commas_inside_quotes()
    {
        var p = RegistryAuthHandler.ParseChallenge("realm=\"https://a/token\",service=\"reg\",scope=\"repository:x/y:pull,push\"");

        Assert.Equal("https://a/token", p["realm"]);
        Assert.Equal("repository:x/y:pull,push", p["scope"]);
    }

    /// <summary>The first layer's digest, read back through the client's manifest role.</summary>
    private static Digest LayerOf(FakeRegistry registry, JsonObject descriptor)
    {
        using var client = new RegistryClient("fake.test", null, null, registry);
        var m = client.GetManifestAsync("team/app", descriptor["digest"]!.GetValue<string>(), CancellationToken.None).GetAwaiter().GetResult();
        return Digest.Parse(JsonNode.Parse(m.Content)!["layers"]![0]!["digest"]!.GetValue<string>());
    }
}

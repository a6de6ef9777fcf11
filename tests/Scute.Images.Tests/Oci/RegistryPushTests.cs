using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Scute.Images.Registry;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Images.Tests.Oci;

/// <summary>The push side of the registry client against an in-memory registry: uploads, referrers, retries, the auth file.</summary>
public sealed class RegistryPushTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    private static readonly RegistryReference Target = RegistryReference.Parse("fake.test/team/app:1");

    [Fact]
    public async Task Blobs_go_monolithic_or_in_chunks_and_a_present_blob_is_not_sent()
    {
        var registry = new MemoryRegistry();
        using var client = new RegistryClient("fake.test", null, null, registry);
        var pusher = new RegistryPusher(client, Target, [], new PushOptions { ChunkSize = 10 }, null, null);
        var small = PushBlob.FromBytes(Encoding.UTF8.GetBytes("small"), "application/octet-stream");
        var big = PushBlob.FromBytes(Encoding.UTF8.GetBytes(new string('x', 35)), "application/octet-stream");

        await pusher.PushBlobsAsync([small, big], CancellationToken.None);
        await pusher.PushBlobAsync(small, CancellationToken.None);

        Assert.Equal("small", Encoding.UTF8.GetString(registry.Blobs[small.Digest]));
        Assert.Equal(35, registry.Blobs[big.Digest].Length);
        Assert.Equal(4, pusher.Chunks);
        Assert.Equal(2, pusher.Uploaded);
        Assert.Equal(1, pusher.Present);
    }

    [Fact]
    public async Task An_artifact_goes_to_the_fallback_index_tag_unless_the_registry_indexes_its_subject()
    {
        var registry = new MemoryRegistry();
        using var client = new RegistryClient("fake.test", null, null, registry);
        var pusher = new RegistryPusher(client, Target, [], new PushOptions(), null, null);
        var subject = new PushedImage(Target, Digest.Compute("image"u8), 5, RegistryPusher.ManifestMediaType);
        var sbom = new ReferrerArtifact("application/spdx+json", [PushBlob.FromBytes("{}"u8.ToArray(), "application/spdx+json")], new Dictionary<string, string>());
        var other = sbom with { ArtifactType = "application/vnd.example" };

        var first = await pusher.PushArtifactAsync(subject, sbom, CancellationToken.None);
        var second = await pusher.PushArtifactAsync(subject, other, CancellationToken.None);

        var index = JsonNode.Parse(registry.Manifests["sha256-" + subject.ManifestDigest.Hex])!;
        Assert.Equal([first.ToString(), second.ToString()], index["manifests"]!.AsArray().Select(m => m!["digest"]!.GetValue<string>()));
        Assert.Equal("application/spdx+json", index["manifests"]![0]!["artifactType"]!.GetValue<string>());
        var manifest = JsonNode.Parse(registry.Manifests[first.ToString()])!;
        Assert.Equal(subject.ManifestDigest.ToString(), manifest["subject"]!["digest"]!.GetValue<string>());

        registry.IndexesSubjects = true;
        var third = await pusher.PushArtifactAsync(subject, other with { ArtifactType = "application/vnd.third" }, CancellationToken.None);
        Assert.Equal(2, JsonNode.Parse(registry.Manifests["sha256-" + subject.ManifestDigest.Hex])!["manifests"]!.AsArray().Count);
        Assert.True(registry.Manifests.ContainsKey(third.ToString()));
    }

    [Fact]
    public async Task A_tagged_artifact_is_put_at_its_tag()
    {
        var registry = new MemoryRegistry();
        using var client = new RegistryClient("fake.test", null, null, registry);
        var pusher = new RegistryPusher(client, Target, [], new PushOptions(), null, null);
        var subject = new PushedImage(Target, Digest.Compute("image"u8), 5, RegistryPusher.ManifestMediaType);

        await pusher.PushArtifactAsync(subject, new ReferrerArtifact("application/vnd.dev.cosign", [], new Dictionary<string, string>(), d => $"sha256-{d.Hex}.sig"), CancellationToken.None);

        Assert.True(registry.Manifests.ContainsKey($"sha256-{subject.ManifestDigest.Hex}.sig"));
        Assert.False(registry.Manifests.ContainsKey($"sha256-{subject.ManifestDigest.Hex}"));
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_a_lasting_one_is_reported()
    {
        var registry = new MemoryRegistry { FailEvery = 2 };
        using var client = new RegistryClient("fake.test", null, null, registry);
        var pusher = new RegistryPusher(client, Target, [], new PushOptions { ChunkSize = 4 }, null, null);
        var blob = PushBlob.FromBytes(Encoding.UTF8.GetBytes("twelve bytes"), "application/octet-stream");

        await pusher.PushBlobAsync(blob, CancellationToken.None);

        Assert.Equal("twelve bytes", Encoding.UTF8.GetString(registry.Blobs[blob.Digest]));
        Assert.True(registry.Failed > 0);
        registry.FailEvery = 1;
        var e = await Assert.ThrowsAsync<ImageException>(() => client.GetManifestAsync("team/app", "1", CancellationToken.None));
        Assert.Contains("HTTP 500", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_auth_file_keeps_other_entries_is_0600_and_logout_removes_only_its_registry()
    {
        var file = temp.Combine("containers", "auth.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, """{"auths":{"other.test":{"auth":"eDp5"}},"credHelpers":{"x":"y"}}""");

        RegistryAuthFile.Store(file, "fake.test", new RegistryCredential("alice", "s3cret"));

        var doc = JsonNode.Parse(File.ReadAllText(file))!;
        Assert.Equal("eDp5", doc["auths"]!["other.test"]!["auth"]!.GetValue<string>());
        Assert.Equal("y", doc["credHelpers"]!["x"]!.GetValue<string>());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal("s3cret", RegistryCredentials.Find("fake.test", [file])!.Password);
        Assert.True(RegistryAuthFile.Remove(file, "fake.test"));
        Assert.False(RegistryAuthFile.Remove(file, "fake.test"));
        Assert.Null(RegistryCredentials.Find("fake.test", [file]));
        Assert.NotNull(RegistryCredentials.Find("other.test", [file]));
    }

    [Fact]
    public void REGISTRY_AUTH_FILE_is_where_login_writes_and_read_first()
    {
        var env = new Dictionary<string, string> { ["HOME"] = temp.Path, ["XDG_RUNTIME_DIR"] = temp.Combine("run"), ["REGISTRY_AUTH_FILE"] = temp.Combine("mine.json") };

        Assert.Equal(temp.Combine("mine.json"), RegistryAuthFile.PathFor(env.GetValueOrDefault));
        Assert.Equal(temp.Combine("mine.json"), RegistryCredentials.DefaultFiles(env.GetValueOrDefault)[0]);
        env.Remove("REGISTRY_AUTH_FILE");
        Assert.Equal(temp.Combine("run", "containers", "auth.json"), RegistryAuthFile.PathFor(env.GetValueOrDefault));
    }

    /// <summary>Just enough of the distribution API for uploads: sessions, PATCH, PUT with digest, manifests by tag or digest.</summary>
    private sealed class MemoryRegistry : HttpMessageHandler
    {
        private readonly ConcurrentDictionary<string, MemoryStream> _uploads = new();
        private int _count;

        public ConcurrentDictionary<Digest, byte[]> Blobs { get; } = new();

        public ConcurrentDictionary<string, byte[]> Manifests { get; } = new();

        public bool IndexesSubjects { get; set; }

        public int FailEvery { get; set; }

        public int Failed { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (FailEvery > 0 && Interlocked.Increment(ref _count) % FailEvery == 0)
            {
                Failed++;
                return new HttpResponseMessage(HttpStatusCode.InternalServerError);
            }

            var path = request.RequestUri!.AbsolutePath;
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            var parts = path.Split('/');
            if (path.Contains("/blobs/uploads/", StringComparison.Ordinal))
            {
                var id = parts[^1];
                if (request.Method == HttpMethod.Post)
                {
                    id = Guid.NewGuid().ToString("N");
                    _uploads[id] = new MemoryStream();
                    return Located(HttpStatusCode.Accepted, $"/v2/team/app/blobs/uploads/{id}");
                }

                _uploads[id].Write(body);
                if (request.Method == HttpMethod.Patch)
                {
                    return Located(HttpStatusCode.Accepted, $"/v2/team/app/blobs/uploads/{id}");
                }

                var digest = new Digest(request.RequestUri.Query.Split("sha256%3A")[1]);
                var content = _uploads[id].ToArray();
                Assert.Equal(digest, Digest.Compute(content));
                Blobs[digest] = content;
                return new HttpResponseMessage(HttpStatusCode.Created);
            }

            if (path.Contains("/blobs/", StringComparison.Ordinal))
            {
                return new HttpResponseMessage(Blobs.ContainsKey(new Digest(parts[^1]["sha256:".Length..])) ? HttpStatusCode.OK : HttpStatusCode.NotFound);
            }

            var reference = Uri.UnescapeDataString(parts[^1]);
            if (request.Method == HttpMethod.Put)
            {
                Manifests[reference] = body;
                Manifests[Digest.Compute(body).ToString()] = body;
                var created = new HttpResponseMessage(HttpStatusCode.Created);
                if (IndexesSubjects)
                {
                    created.Headers.TryAddWithoutValidation("OCI-Subject", "sha256:x");
                }

                return created;
            }

            return Manifests.TryGetValue(reference, out var manifest)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(request.Method == HttpMethod.Head ? [] : manifest) }
                : new HttpResponseMessage(HttpStatusCode.NotFound);
        }

        private static HttpResponseMessage Located(HttpStatusCode status, string location)
        {
            var response = new HttpResponseMessage(status);
            response.Headers.Location = new Uri(location, UriKind.Relative);
            return response;
        }
    }
}

/// <summary>Progress per blob and in total.</summary>
public sealed class TotalProgressTests
{
    [Fact]
    public void Every_step_advances_its_own_line_and_the_total()
    {
        var recorder = new Recorder();
        using (var total = new TotalProgress(recorder, "pull", 30))
        {
            using var a = total.Start("a", 10);
            using var b = total.Start("b", 20);
            a.Advance(10);
            b.Advance(5);
        }

        Assert.Equal(15, recorder.Advanced["pull"]);
        Assert.Equal(10, recorder.Advanced["a"]);
        Assert.Equal(5, recorder.Advanced["b"]);
        Assert.Equal(["pull", "a", "b"], recorder.Started);
    }

    private sealed class Recorder : ITransferProgress
    {
        public List<string> Started { get; } = [];

        public Dictionary<string, long> Advanced { get; } = [];

        public ITransferTask Start(string description, long? totalBytes)
        {
            Started.Add(description);
            Advanced[description] = 0;
            return new Task(this, description);
        }

        private sealed class Task(Recorder owner, string description) : ITransferTask
        {
            public void Advance(long bytes) => owner.Advanced[description] += bytes;

            public void Dispose()
            {
            }
        }
    }
}

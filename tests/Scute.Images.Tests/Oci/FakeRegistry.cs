using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Scute.Store;

namespace Scute.Images.Tests.Oci;

/// <summary>
/// An in-memory distribution API v2 behind a fake HttpMessageHandler: tags, manifests and blobs by
/// digest, optional basic or bearer auth (token service at https://auth.test/token), and a log of
/// every request so tests can see what was asked and how.
/// </summary>
internal sealed class FakeRegistry : HttpMessageHandler
{
    private readonly Dictionary<string, (byte[] Content, string MediaType)> _manifests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    public enum AuthMode { None, Basic, Bearer }

    public AuthMode Auth { get; init; }

    public string User { get; init; } = "alice";

    public string Password { get; init; } = "s3cret";

    public List<HttpRequestMessage> Requests { get; } = [];

    public List<string> AuthorizationHeaders { get; } = [];

    /// <summary>Serve these bytes instead of the real ones for that digest (a corrupted blob).</summary>
    public Dictionary<Digest, byte[]> Corrupt { get; } = [];

    public Digest AddBlob(byte[] content)
    {
        var d = Digest.Compute(content);
        _blobs[d.ToString()] = content;
        return d;
    }

    public JsonObject Descriptor(byte[] content, string mediaType) =>
        new() { ["mediaType"] = mediaType, ["digest"] = AddBlob(content).ToString(), ["size"] = content.Length };

    /// <summary>Stores a manifest under its digest and, if given, a tag; returns its descriptor.</summary>
    public JsonObject AddManifest(JsonObject manifest, string mediaType, string? tag = null)
    {
        var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var digest = Digest.Compute(bytes).ToString();
        _manifests[digest] = (bytes, mediaType);
        if (tag is not null)
        {
            _manifests[tag] = (bytes, mediaType);
        }

        return new JsonObject { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = bytes.Length };
    }

    /// <summary>An image whose one layer is <paramref name="layerTar"/> (gzip), tagged.</summary>
    public JsonObject AddImage(byte[] layerTar, string? tag, string mediaType = "application/vnd.oci.image.manifest.v1+json")
    {
        var config = Encoding.UTF8.GetBytes("{\"os\":\"linux\",\"architecture\":\"amd64\"}");
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = mediaType,
            ["config"] = Descriptor(config, "application/vnd.oci.image.config.v1+json"),
            ["layers"] = new JsonArray(Descriptor(OciTestImages.Gzip(layerTar), OciTestImages.GzipLayer)),
        };
        return AddManifest(manifest, mediaType, tag);
    }

    public int BlobGets => Requests.Count(r => r.Method == HttpMethod.Get && r.RequestUri!.AbsolutePath.Contains("/blobs/", StringComparison.Ordinal));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request);
            AuthorizationHeaders.Add(request.Headers.Authorization?.ToString() ?? "");
        }

        var uri = request.RequestUri!;
        if (uri.Host == "auth.test")
        {
            return Task.FromResult(Token(request));
        }

        if (!Authorized(request))
        {
            var denied = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            denied.Headers.WwwAuthenticate.Add(Auth == AuthMode.Basic
                ? new AuthenticationHeaderValue("Basic", "realm=\"fake\"")
                : new AuthenticationHeaderValue("Bearer", "realm=\"https://auth.test/token\",service=\"fake.test\",scope=\"repository:team/app:pull\""));
            return Task.FromResult(denied);
        }

        var path = uri.AbsolutePath;
        var reference = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
        if (path.Contains("/manifests/", StringComparison.Ordinal) && _manifests.TryGetValue(reference, out var m))
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(m.Content) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue(m.MediaType);
            response.Headers.Add("Docker-Content-Digest", Digest.Compute(m.Content).ToString());
            return Task.FromResult(response);
        }

        if (path.Contains("/blobs/", StringComparison.Ordinal) && _blobs.TryGetValue(reference, out var blob))
        {
            var served = Corrupt.TryGetValue(Digest.Parse(reference), out var bad) ? bad : blob;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new MemoryStream(served)) });
        }

        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
    }

    private string BasicValue => Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + Password));

    private bool Authorized(HttpRequestMessage request) => Auth switch
    {
        AuthMode.Basic => request.Headers.Authorization is { Scheme: "Basic" } a && a.Parameter == BasicValue,
        AuthMode.Bearer => request.Headers.Authorization is { Scheme: "Bearer", Parameter: "tok-123" },
        _ => true,
    };

    private HttpResponseMessage Token(HttpRequestMessage request)
    {
        var query = request.RequestUri!.Query;
        var ok = request.Headers.Authorization is { Scheme: "Basic" } a && a.Parameter == BasicValue
            && query.Contains("service=fake.test", StringComparison.Ordinal) && query.Contains("scope=repository%3Ateam%2Fapp%3Apull", StringComparison.Ordinal);
        return ok
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"token\":\"tok-123\"}") }
            : new HttpResponseMessage(HttpStatusCode.Unauthorized);
    }
}

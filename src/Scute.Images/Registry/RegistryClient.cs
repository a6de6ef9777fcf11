using System.Net;
using System.Net.Http.Headers;
using Scute.Images.Oci;
using Scute.Store;

namespace Scute.Images.Registry;

/// <summary>
/// The distribution API v2 wire calls for one registry host, over one HttpClient whose handler
/// does the auth flow (<see cref="RegistryAuthHandler"/>). HTTPS unless the host is listed as insecure.
/// </summary>
public sealed class RegistryClient : IManifestReader, IBlobReader, IDisposable
{
    private readonly HttpClient _http;
    private readonly string _host;

    /// <param name="transport">The handler that talks to the network; tests pass a fake.</param>
    public RegistryClient(string host, RegistryCredential? credential, string? insecureList, HttpMessageHandler? transport = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
        var retry = new RetryHandler(RetryHandler.DefaultAttempts, RetryHandler.DefaultFirstDelay)
        {
            InnerHandler = transport ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30), AutomaticDecompression = DecompressionMethods.None },
        };
        var auth = new RegistryAuthHandler(credential, insecureList) { InnerHandler = retry };
        // docker.io is the name people write; its API answers at registry-1.docker.io.
        var apiHost = host == "docker.io" ? "registry-1.docker.io" : host;
        _http = new HttpClient(auth) { BaseAddress = RegistryEndpoint.BaseUri(apiHost, insecureList), Timeout = TimeSpan.FromMinutes(5) };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("scute");
    }

    public Uri BaseAddress => _http.BaseAddress!;

    public async Task<FetchedManifest> GetManifestAsync(string repository, string reference, CancellationToken ct)
    {
        using var request = ManifestRequest(HttpMethod.Get, repository, reference);
        using var response = await SendAsync(request, $"{repository}:{reference}", ct).ConfigureAwait(false);
        var what = $"{_host}/{repository} manifest {reference}";
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var content = OciDocuments.ReadCapped(body, what);
        var digest = Digest.Compute(content);
        if (Digest.TryParse(reference, out var asked) && asked != digest)
        {
            throw new ContentDigestMismatchException(what, asked, digest);
        }

        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values)
            && Digest.TryParse(values.FirstOrDefault(), out var claimed) && claimed != digest)
        {
            throw new ContentDigestMismatchException(what, claimed, digest);
        }

        return new FetchedManifest(content, response.Content.Headers.ContentType?.MediaType, digest);
    }

    public async Task<bool> ManifestExistsAsync(string repository, string reference, CancellationToken ct)
    {
        using var request = ManifestRequest(HttpMethod.Head, repository, reference);
        return await ExistsAsync(request, ct).ConfigureAwait(false);
    }

    public async Task<Stream> GetBlobAsync(string repository, Digest digest, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{digest}");
        var response = await SendAsync(request, $"{repository}@{digest}", ct).ConfigureAwait(false);
        return new PassThroughReadStream(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), ownsInner: true, response, request);
    }

    public async Task<bool> BlobExistsAsync(string repository, Digest digest, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{digest}");
        return await ExistsAsync(request, ct).ConfigureAwait(false);
    }

    /// <summary>GET /v2/: false when the registry refuses these credentials (401/403); throws when it cannot be asked.</summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v2/");
        using var response = await SendRawAsync(request, ct).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return false;
        }

        Check(response, "the API root /v2/");
        return true;
    }

    /// <summary>
    /// POST /v2/&lt;name&gt;/blobs/uploads/, asking to mount <paramref name="mount"/> from
    /// <paramref name="from"/> when given: null when the registry mounted it (201), else where to upload (202).
    /// </summary>
    public async Task<Uri?> StartUploadAsync(string repository, Digest? mount, string? from, CancellationToken ct)
    {
        var query = mount is { } m && from is not null ? $"?mount={m}&from={Uri.EscapeDataString(from)}" : "";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v2/{repository}/blobs/uploads/{query}");
        using var response = await SendAsync(request, $"an upload to {repository}", ct).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.Created && mount is not null ? null : Location(response, repository);
    }

    /// <summary>PATCH one chunk at <paramref name="offset"/>; returns where the next goes.</summary>
    public async Task<Uri> PatchChunkAsync(string repository, Uri location, byte[] buffer, int count, long offset, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(buffer, 0, count) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.TryAddWithoutValidation("Content-Range", FormattableString.Invariant($"{offset}-{offset + count - 1}"));
        using var response = await SendAsync(request, $"a chunk of an upload to {repository}", ct).ConfigureAwait(false);
        return Location(response, repository);
    }

    /// <summary>PUT that closes an upload with <paramref name="digest"/>, carrying the last (or only) bytes in <paramref name="content"/>.</summary>
    public async Task FinishUploadAsync(string repository, Uri location, Digest digest, HttpContent content, CancellationToken ct)
    {
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest.ToString()))) { Content = content };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await SendAsync(request, $"blob {digest} of {repository}", ct).ConfigureAwait(false);
    }

    /// <summary>PUT /v2/&lt;name&gt;/manifests/&lt;reference&gt;; true when the registry said it indexed the subject (OCI-Subject header).</summary>
    public async Task<bool> PutManifestAsync(string repository, string reference, byte[] content, string mediaType, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"v2/{repository}/manifests/{reference}") { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await SendAsync(request, $"{repository}:{reference}", ct).ConfigureAwait(false);
        return response.Headers.Contains("OCI-Subject");
    }

    /// <summary>The manifest or index at a tag or digest, or null when the registry has none (404).</summary>
    public async Task<FetchedManifest?> TryGetManifestAsync(string repository, string reference, CancellationToken ct) =>
        await ManifestExistsAsync(repository, reference, ct).ConfigureAwait(false)
            ? await GetManifestAsync(repository, reference, ct).ConfigureAwait(false)
            : null;

    /// <summary>The OCI 1.1 referrers API's index for <paramref name="subject"/>, or null where the registry has no such API (404).</summary>
    public async Task<byte[]?> TryGetReferrersAsync(string repository, Digest subject, string artifactType, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/referrers/{subject}?artifactType={Uri.EscapeDataString(artifactType)}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(OciMediaTypes.OciIndex));
        using var response = await SendRawAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        return OciDocuments.ReadCapped(body, $"{_host}/{repository} referrers of {subject}");
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The Location header of an upload answer, made absolute (registries send either form).</summary>
    private Uri Location(HttpResponseMessage response, string repository) =>
        response.Headers.Location is { } location
            ? (location.IsAbsoluteUri ? location : new Uri(_http.BaseAddress!, location))
            : throw new ImageException($"registry {_host} started an upload to {repository} without saying where (no Location header)");

    private static HttpRequestMessage ManifestRequest(HttpMethod method, string repository, string reference)
    {
        var request = new HttpRequestMessage(method, $"v2/{repository}/manifests/{reference}");
        foreach (var type in OciMediaTypes.Manifests)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        return request;
    }

    private async Task<bool> ExistsAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var response = await SendRawAsync(request, ct).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? false : Check(response, request.RequestUri!.ToString()) is not null;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, CancellationToken ct)
    {
        var response = await SendRawAsync(request, ct).ConfigureAwait(false);
        return Check(response, what);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ImageException($"cannot reach registry {_host} at {_http.BaseAddress}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new ImageException($"registry {_host} did not answer in time", e);
        }
    }

    private HttpResponseMessage Check(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        var status = (int)response.StatusCode;
        response.Dispose();
        throw response.StatusCode switch
        {
            HttpStatusCode.NotFound => new ImageException($"registry {_host} has no {what} (HTTP 404)"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new ImageException(
                $"registry {_host} refused access to {what} (HTTP {status}); run scute login {_host} (or podman login) to keep credentials for it in the containers auth file"),
            _ => new ImageException($"registry {_host} answered HTTP {status} for {what}"),
        };
    }
}

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
        var auth = new RegistryAuthHandler(credential, insecureList)
        {
            InnerHandler = transport ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30), AutomaticDecompression = DecompressionMethods.None },
        };
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

    public void Dispose() => _http.Dispose();

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
                $"registry {_host} refused access to {what} (HTTP {status}); put credentials for {_host} in ~/.config/containers/auth.json or ~/.docker/config.json (podman login / docker login write them)"),
            _ => new ImageException($"registry {_host} answered HTTP {status} for {what}"),
        };
    }
}

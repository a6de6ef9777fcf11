using System.Net;
using System.Net.Http.Headers;
using Scute.Images.Oci;
using Scute.Images.Registry;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Images.Trust;

/// <summary>
/// Reads and writes an image's sigstore attachment in its registry (distribution API v2).
/// <see cref="AttachAsync"/> is "attach signature artifact for digest D to repository R", what
/// push --sign-key calls: it keeps the signatures already attached and adds the new one.
/// </summary>
public static class SignatureStore
{
    /// <summary>Payloads bigger than this are not signatures (containers/image caps them likewise).</summary>
    private const int MaxPayload = 4 * 1024 * 1024;

    /// <summary>The signatures attached to <paramref name="manifestDigest"/> in <paramref name="repository"/>; none when there is no attachment.</summary>
    public static async Task<IReadOnlyList<SigstoreSignature>> ReadAsync(IManifestReader manifests, IBlobReader blobs, string repository, Digest manifestDigest, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        ArgumentNullException.ThrowIfNull(blobs);
        var tag = SignatureAttachment.Tag(manifestDigest);
        if (!await manifests.ManifestExistsAsync(repository, tag, ct).ConfigureAwait(false))
        {
            return [];
        }

        var manifest = await manifests.GetManifestAsync(repository, tag, ct).ConfigureAwait(false);
        var result = new List<SigstoreSignature>();
        foreach (var layer in SignatureAttachment.ParseManifest(manifest.Content, $"{repository}:{tag}"))
        {
            if (layer.MediaType != SigstoreSignature.PayloadMediaType || layer.Signature is null || layer.Size is < 0 or > MaxPayload)
            {
                continue;
            }

            var stream = await blobs.GetBlobAsync(repository, layer.Digest, ct).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var payload = OciDocuments.ReadCapped(stream, $"{repository}@{layer.Digest}");
                if (Digest.Compute(payload) != layer.Digest)
                {
                    throw new ContentDigestMismatchException($"{repository} signature payload", layer.Digest, Digest.Compute(payload));
                }

                result.Add(new SigstoreSignature(payload, layer.Signature));
            }
        }

        return result;
    }

    /// <summary>Uploads the payload and a new attachment manifest (the signatures already there, then this one) under the .sig tag; nothing when this exact signature is there.</summary>
    public static async Task AttachAsync(
        RegistryReference repository, Digest manifestDigest, SigstoreSignature signature,
        RegistryCredential? credential, string? insecureList, HttpMessageHandler? transport, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(signature);
        using var reader = new RegistryClient(repository.Registry, credential, insecureList, transport);
        var existing = await ReadAsync(reader, reader, repository.Repository, manifestDigest, ct).ConfigureAwait(false);
        if (existing.Any(s => s.Payload.AsSpan().SequenceEqual(signature.Payload) && s.Base64Signature == signature.Base64Signature))
        {
            // Already there: the attachment stays as it is (containers/image does the same).
            return;
        }

        var all = existing.Append(signature).ToList();
        var config = SignatureAttachment.Config(all.Select(s => Digest.Compute(s.Payload)));
        var manifest = SignatureAttachment.Manifest(config, all.Select(s => (s.Payload, s.Base64Signature)));

        using var writer = new HttpClient(new RegistryAuthHandler(credential, insecureList) { InnerHandler = transport ?? new SocketsHttpHandler() }, disposeHandler: true)
        {
            BaseAddress = reader.BaseAddress,
            Timeout = TimeSpan.FromMinutes(5),
        };
        writer.DefaultRequestHeaders.UserAgent.ParseAdd("scute");
        foreach (var blob in all.Select(s => s.Payload).Append(config))
        {
            await PutBlobAsync(writer, repository, blob, ct).ConfigureAwait(false);
        }

        using var put = new HttpRequestMessage(HttpMethod.Put, $"v2/{repository.Repository}/manifests/{SignatureAttachment.Tag(manifestDigest)}")
        {
            Content = new ByteArrayContent(manifest),
        };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue(OciMediaTypes.OciManifest);
        using var response = await Send(writer, put, repository, "signature manifest", ct).ConfigureAwait(false);
    }

    /// <summary>HEAD first; else a monolithic upload (POST for a session, PUT the bytes with the digest).</summary>
    private static async Task PutBlobAsync(HttpClient http, RegistryReference repository, byte[] blob, CancellationToken ct)
    {
        var digest = Digest.Compute(blob);
        using (var head = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository.Repository}/blobs/{digest}"))
        using (var exists = await http.SendAsync(head, ct).ConfigureAwait(false))
        {
            if (exists.IsSuccessStatusCode)
            {
                return;
            }
        }

        using var start = new HttpRequestMessage(HttpMethod.Post, $"v2/{repository.Repository}/blobs/uploads/");
        using var session = await Send(http, start, repository, "blob upload", ct).ConfigureAwait(false);
        var location = session.Headers.Location ?? throw new ImageException($"registry {repository.Registry} started an upload without a Location");
        var target = new UriBuilder(location.IsAbsoluteUri ? location : new Uri(http.BaseAddress!, location));
        target.Query = (string.IsNullOrEmpty(target.Query) ? string.Empty : target.Query.TrimStart('?') + "&") + "digest=" + Uri.EscapeDataString(digest.ToString());
        using var put = new HttpRequestMessage(HttpMethod.Put, target.Uri) { Content = new ByteArrayContent(blob) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var done = await Send(http, put, repository, $"blob {digest}", ct).ConfigureAwait(false);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient http, HttpRequestMessage request, RegistryReference repository, string what, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ImageException($"cannot reach registry {repository.Registry}: {e.Message}", e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        var status = (int)response.StatusCode;
        response.Dispose();
        throw new ImageException(status is (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden
            ? $"registry {repository.Registry} refused to store the {what} for {repository.Repository} (HTTP {status}); log in with credentials that may push"
            : $"registry {repository.Registry} answered HTTP {status} to storing the {what} for {repository.Repository}");
    }
}

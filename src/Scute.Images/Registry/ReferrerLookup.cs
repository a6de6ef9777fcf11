using System.Text.Json;
using System.Text.Json.Nodes;
using Scute.Images.Oci;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Images.Registry;

/// <summary>
/// Finds an artifact attached to an image as an OCI 1.1 referrer (what push attaches the SBOM
/// as): through the referrers API where the registry has it, else the fallback schema's
/// <c>sha256-&lt;hex&gt;</c> index; returns the artifact's first blob, checked against its digest.
/// </summary>
public static class ReferrerLookup
{
    private const long MaxBlob = 16 << 20;

    public static async Task<byte[]?> FindFirstBlobAsync(RegistryClient client, string repository, Digest subject, string artifactType, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        var index = await client.TryGetReferrersAsync(repository, subject, artifactType, ct).ConfigureAwait(false)
            ?? (await client.TryGetManifestAsync(repository, RegistryPusher.FallbackTag(subject), ct).ConfigureAwait(false))?.Content;
        if (index is null || Parse(index)?["manifests"] is not JsonArray manifests)
        {
            return null;
        }

        foreach (var entry in manifests)
        {
            if (entry?["artifactType"]?.GetValue<string>() != artifactType || !Digest.TryParse(entry["digest"]?.GetValue<string>(), out var digest))
            {
                continue;
            }

            var artifact = await client.GetManifestAsync(repository, digest.ToString(), ct).ConfigureAwait(false);
            if (Parse(artifact.Content)?["layers"] is not JsonArray { Count: > 0 } layers
                || !Digest.TryParse(layers[0]?["digest"]?.GetValue<string>(), out var blobDigest))
            {
                continue;
            }

            var body = await client.GetBlobAsync(repository, blobDigest, ct).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                using var bounded = new Download.BoundedReadStream(body, MaxBlob, $"{repository} referrer {digest}");
                await bounded.CopyToAsync(buffer, ct).ConfigureAwait(false);
                var bytes = buffer.ToArray();
                var actual = Digest.Compute(bytes);
                return actual == blobDigest ? bytes : throw new ContentDigestMismatchException($"{repository} referrer {digest}", blobDigest, actual);
            }
        }

        return null;
    }

    private static JsonNode? Parse(byte[] bytes)
    {
        try
        {
            return JsonNode.Parse(bytes);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

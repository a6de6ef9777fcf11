using System.Text;
using System.Text.Json.Nodes;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Images.Registry;

/// <summary>
/// The policy above the wire calls for a push to one repository: each blob is asked for first
/// (HEAD) and skipped when present, mounted from another repository of the same registry when
/// one is known to hold it, else uploaded in one PUT or, above the chunk size, in PATCH chunks.
/// A failed upload is started again whole (its bytes are written again from the source).
/// </summary>
public sealed class RegistryPusher(RegistryClient client, RegistryReference target, IReadOnlyList<string> mountSources, PushOptions options, ITransferProgress? progress, Action<string>? log)
{
    public const string EmptyMediaType = "application/vnd.oci.empty.v1+json";
    public const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
    public const string IndexMediaType = "application/vnd.oci.image.index.v1+json";

    private static readonly byte[] EmptyJson = "{}"u8.ToArray();

    private int _present;
    private int _mounted;
    private int _uploaded;
    private int _chunks;

    public int Present => _present;

    public int Mounted => _mounted;

    public int Uploaded => _uploaded;

    /// <summary>PATCH requests sent (0 when every upload was monolithic).</summary>
    public int Chunks => _chunks;

    public async Task PushBlobsAsync(IReadOnlyList<PushBlob> blobs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        using var gate = new SemaphoreSlim(Math.Max(1, options.Parallelism));
        var tasks = blobs.DistinctBy(b => b.Digest).Select(async blob =>
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await PushBlobAsync(blob, ct).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    public async Task<BlobOutcome> PushBlobAsync(PushBlob blob, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var repository = target.Repository;
        if (await client.BlobExistsAsync(repository, blob.Digest, ct).ConfigureAwait(false))
        {
            log?.Invoke($"{target}: blob {blob.Digest} is there already");
            Interlocked.Increment(ref _present);
            return BlobOutcome.Present;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await UploadAsync(blob, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < options.UploadAttempts && IsTransient(e) && !ct.IsCancellationRequested)
            {
                log?.Invoke($"{target}: upload of {blob.Digest} failed ({e.Message}); starting it again");
                await Task.Delay(TimeSpan.FromMilliseconds(250 << attempt), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>PUTs a manifest at a tag or its digest; returns its digest.</summary>
    public async Task<Digest> PushManifestAsync(byte[] manifest, string mediaType, string reference, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await client.PutManifestAsync(target.Repository, reference, manifest, mediaType, ct).ConfigureAwait(false);
        return Digest.Compute(manifest);
    }

    /// <summary>
    /// Uploads an artifact's blobs and its manifest (subject: the pushed image), then makes it
    /// findable: by its tag, or as a referrer, through the referrers API when the registry says it
    /// indexed the subject, else by adding it to the <c>sha256-&lt;hex&gt;</c> index of the fallback schema.
    /// </summary>
    public async Task<Digest> PushArtifactAsync(PushedImage subject, ReferrerArtifact artifact, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(artifact);
        var empty = PushBlob.FromBytes(EmptyJson, EmptyMediaType);
        await PushBlobsAsync([empty, .. artifact.Blobs], ct).ConfigureAwait(false);
        var manifest = ArtifactManifest(subject, artifact, empty);
        var digest = Digest.Compute(manifest);
        if (artifact.Tag is { } tag)
        {
            await client.PutManifestAsync(target.Repository, tag(subject.ManifestDigest), manifest, ManifestMediaType, ct).ConfigureAwait(false);
            return digest;
        }

        var indexed = await client.PutManifestAsync(target.Repository, digest.ToString(), manifest, ManifestMediaType, ct).ConfigureAwait(false);
        if (!indexed)
        {
            await AddToFallbackIndexAsync(subject, artifact, digest, manifest.Length, ct).ConfigureAwait(false);
        }

        return digest;
    }

    /// <summary>The fallback schema's tag for the referrers of <paramref name="subject"/>: sha256-&lt;hex&gt;.</summary>
    public static string FallbackTag(Digest subject) => "sha256-" + subject.Hex;

    private async Task AddToFallbackIndexAsync(PushedImage subject, ReferrerArtifact artifact, Digest digest, long size, CancellationToken ct)
    {
        var tag = FallbackTag(subject.ManifestDigest);
        var existing = await client.TryGetManifestAsync(target.Repository, tag, ct).ConfigureAwait(false);
        var manifests = new JsonArray();
        if (existing is not null && JsonNode.Parse(existing.Content)?["manifests"] is JsonArray listed)
        {
            foreach (var entry in listed)
            {
                if (entry?["digest"]?.GetValue<string>() != digest.ToString())
                {
                    manifests.Add(entry?.DeepClone());
                }
            }
        }

        manifests.Add((JsonNode)Descriptor(ManifestMediaType, digest, size, artifact.ArtifactType, artifact.Annotations));
        var index = Encode(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = IndexMediaType, ["manifests"] = manifests });
        await client.PutManifestAsync(target.Repository, tag, index, IndexMediaType, ct).ConfigureAwait(false);
    }

    private static byte[] ArtifactManifest(PushedImage subject, ReferrerArtifact artifact, PushBlob empty)
    {
        var doc = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestMediaType,
            ["artifactType"] = artifact.ArtifactType,
            ["config"] = Descriptor(empty.MediaType, empty.Digest, empty.Size, null, null),
            ["layers"] = new JsonArray([.. artifact.Blobs.Select(b => (JsonNode?)Descriptor(b.MediaType, b.Digest, b.Size, null, null))]),
            ["subject"] = Descriptor(subject.ManifestMediaType, subject.ManifestDigest, subject.ManifestSize, null, null),
        };
        if (artifact.Annotations.Count > 0)
        {
            doc["annotations"] = Annotations(artifact.Annotations);
        }

        return Encode(doc);
    }

    private static JsonObject Descriptor(string mediaType, Digest digest, long size, string? artifactType, IReadOnlyDictionary<string, string>? annotations)
    {
        var o = new JsonObject { ["mediaType"] = mediaType, ["digest"] = digest.ToString(), ["size"] = size };
        if (artifactType is not null)
        {
            o["artifactType"] = artifactType;
        }

        if (annotations is { Count: > 0 })
        {
            o["annotations"] = Annotations(annotations);
        }

        return o;
    }

    private static JsonObject Annotations(IReadOnlyDictionary<string, string> values)
    {
        var o = new JsonObject();
        foreach (var (k, v) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            o[k] = v;
        }

        return o;
    }

    private static byte[] Encode(JsonObject doc) => Encoding.UTF8.GetBytes(doc.ToJsonString());

    private async Task<BlobOutcome> UploadAsync(PushBlob blob, CancellationToken ct)
    {
        var repository = target.Repository;
        Uri? location = null;
        foreach (var from in mountSources.Where(r => r != repository))
        {
            location = await client.StartUploadAsync(repository, blob.Digest, from, ct).ConfigureAwait(false);
            if (location is null)
            {
                log?.Invoke($"{target}: blob {blob.Digest} mounted from {from}");
                Interlocked.Increment(ref _mounted);
                return BlobOutcome.Mounted;
            }

            // Not mounted: the answer is an ordinary upload session, used as it is.
            break;
        }

        location ??= await client.StartUploadAsync(repository, null, null, ct).ConfigureAwait(false)
            ?? throw new ImageException($"registry {target.Registry} started no upload for {blob.Digest}");
        using var task = progress?.Start($"push {blob.Digest.Hex[..12]}", blob.Size);
        if (blob.Size > options.ChunkSize)
        {
            using var chunked = new ChunkedUploadStream(client, repository, location!, options.ChunkSize, ct);
            var counted = new ProgressWriteStream(chunked, task);
            blob.Write(counted);
            RequireSize(blob, counted.Written);
            chunked.Finish(blob.Digest);
            Interlocked.Add(ref _chunks, chunked.Chunks);
        }
        else
        {
            long written = 0;
            var content = new WriterContent(blob.Size, s =>
            {
                var counted = new ProgressWriteStream(s, task);
                blob.Write(counted);
                written = counted.Written;
            });
            await client.FinishUploadAsync(repository, location!, blob.Digest, content, ct).ConfigureAwait(false);
            RequireSize(blob, written);
        }

        log?.Invoke($"{target}: blob {blob.Digest} uploaded ({blob.Size} bytes)");
        Interlocked.Increment(ref _uploaded);
        return BlobOutcome.Uploaded;
    }

    private static void RequireSize(PushBlob blob, long written)
    {
        if (written != blob.Size)
        {
            throw new ImageException($"blob {blob.Digest} was {written} bytes when written, not the {blob.Size} measured; its source changed during the push");
        }
    }

    // A broken session (416, 400 BLOB_UPLOAD_INVALID) is worth a fresh one too; auth and 404 are not.
    private static bool IsTransient(Exception e) => e is HttpRequestException or IOException
        || (e is ImageException && (e.InnerException is HttpRequestException or IOException || e.Message.Contains(" answered HTTP ", StringComparison.Ordinal)));
}

/// <summary>How a push uploads: blobs above <see cref="ChunkSize"/> go in PATCH chunks of that size.</summary>
public sealed record PushOptions
{
    public const int DefaultChunkSize = 32 * 1024 * 1024;

    public int ChunkSize { get; init; } = DefaultChunkSize;

    public int Parallelism { get; init; } = 3;

    public int UploadAttempts { get; init; } = 4;
}

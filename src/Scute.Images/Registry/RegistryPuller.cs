using Scute.Images.Oci;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Images.Registry;

/// <summary>
/// The policy above the wire roles: resolve a reference to one platform's manifest, then bring its
/// config and layers into the object store, in parallel (bounded), each checked against its digest
/// while it streams to staging, and never a blob the store already holds.
/// </summary>
public sealed class RegistryPuller(IManifestReader manifests, IBlobReader blobs, ObjectStore objects, Action<string>? log, int parallelism = 3, ITransferProgress? progress = null)
{
    /// <summary>How many blobs this puller actually downloaded (the rest were in the store).</summary>
    public int BlobsFetched => _fetched;

    private int _fetched;

    public async Task<OciImage> ResolveAsync(RegistryReference reference, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var what = reference.ToString();
        var top = await manifests.GetManifestAsync(reference.Repository, reference.Digest ?? reference.Tag ?? "latest", ct).ConfigureAwait(false);
        return await OciImages.SelectAsync(
            top.Content,
            top.Digest,
            async (d, token) => (await manifests.GetManifestAsync(reference.Repository, d.Digest.ToString(), token).ConfigureAwait(false)).Content,
            what,
            log,
            ct).ConfigureAwait(false);
    }

    public Task FetchBlobsAsync(RegistryReference reference, OciImage image, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(image);
        return FetchAsync(reference, [.. image.Layers.Prepend(image.Config)], ct);
    }

    /// <summary>Brings these blobs into the object store, each verified while it streams; those already there are not fetched.</summary>
    public async Task FetchAsync(RegistryReference reference, IReadOnlyList<OciDescriptor> descriptors, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(descriptors);
        var needed = descriptors.DistinctBy(d => d.Digest).Where(d => !objects.Contains(d.Digest)).ToList();
        using var gate = new SemaphoreSlim(Math.Max(1, parallelism));
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Exception? firstFailure = null;
        var tasks = needed.Select(async descriptor =>
        {
            var digest = descriptor.Digest;
            await gate.WaitAsync(failed.Token).ConfigureAwait(false);
            try
            {
                log?.Invoke($"{reference}: fetching blob {digest}");
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await FetchOneAsync(reference, descriptor, failed.Token).ConfigureAwait(false);
                        break;
                    }
                    catch (Exception e) when (attempt < BlobAttempts && IsTransient(e) && !failed.IsCancellationRequested)
                    {
                        // A body cut off half-way: staging keeps nothing of it, so it is fetched again whole.
                        log?.Invoke($"{reference}: blob {digest} broke off ({e.Message}); fetching it again");
                        await Task.Delay(TimeSpan.FromMilliseconds(250 << attempt), failed.Token).ConfigureAwait(false);
                    }
                }

                Interlocked.Increment(ref _fetched);
            }
            catch (Exception e)
            {
                // One bad blob ends the pull: stop the others rather than finish downloads nobody will use.
                Interlocked.CompareExchange(ref firstFailure, e, null);
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception) when (firstFailure is not null && !ct.IsCancellationRequested)
        {
            // Report the failure that stopped the rest, not what stopping them caused.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(firstFailure);
        }
    }

    private const int BlobAttempts = 4;

    private static bool IsTransient(Exception e) => e is HttpRequestException or IOException
        || (e is ImageException && e.InnerException is HttpRequestException or IOException);

    private async Task FetchOneAsync(RegistryReference reference, OciDescriptor descriptor, CancellationToken ct)
    {
        var digest = descriptor.Digest;
        var stream = await blobs.GetBlobAsync(reference.Repository, digest, ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            // Closing the body is what interrupts a synchronous read when another blob has failed.
            using var interrupt = ct.Register(stream.Dispose);
            // Put streams to staging while hashing and renames only a blob that matches.
            var what = $"{reference}: blob {digest}";
            Stream bounded = descriptor.Size > 0 ? new DeclaredSizeStream(stream, descriptor.Size, what) : stream;
            using var task = progress?.Start($"blob {digest.Hex[..12]}", descriptor.Size > 0 ? descriptor.Size : null);
            var counted = task is null ? bounded : new ProgressReadStream(bounded, task);
            await Task.Run(() => objects.Put(counted, digest, what), ct).ConfigureAwait(false);
        }
    }
}

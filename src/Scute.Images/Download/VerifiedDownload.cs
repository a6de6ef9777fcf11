using System.Buffers;
using System.Security.Cryptography;

namespace Scute.Images.Download;

/// <summary>
/// GET to a file, hashing each buffer as it is written, so a multi-GB rootfs takes constant memory
/// and is read once. The file is deleted on any failure, a digest mismatch included: nothing
/// unverified stays on disk.
/// </summary>
public static class VerifiedDownload
{
    private const int BufferSize = 1 << 16;

    /// <summary>No byte for this long and the download is given up, rather than hanging a build forever.</summary>
    public static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    /// <param name="what">Names the download in messages: "base image debian/bookworm".</param>
    /// <param name="expectedSha256">64 lower-case hex the bytes must hash to, when known.</param>
    /// <param name="expectedSize">Bytes the source announced; a longer body is cut off and refused rather than filling the disk.</param>
    /// <param name="expectedFrom">Where the expected digest came from, for the mismatch message ("the image index", "#sha256=").</param>
    /// <returns>The 64 lower-case hex sha256 of what was written.</returns>
    /// <exception cref="DownloadDigestMismatchException">The bytes are not the expected ones (exit 3).</exception>
    /// <exception cref="ImageException">The server could not be reached or refused the request (exit 1).</exception>
    /// <param name="progress">Told the bytes as they arrive (a terminal draws them), or null.</param>
    public static string ToFile(HttpClient http, Uri url, string file, string what, string? expectedSha256 = null, long? expectedSize = null, string expectedFrom = "", ITransferProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(url);
        try
        {
            // A console tool has no synchronization context: blocking here cannot deadlock, and the
            // async API is what gives each read its own stall timeout.
            var actual = CopyAsync(http, url, file, what, expectedSize, progress).GetAwaiter().GetResult();
            if (expectedSha256 is not null && actual != expectedSha256)
            {
                throw new DownloadDigestMismatchException(
                    $"{what}: {url} hashes to sha256:{actual}, but {expectedFrom} says sha256:{expectedSha256}; the download was deleted and nothing was kept");
            }

            return actual;
        }
        catch
        {
            File.Delete(file);
            throw;
        }
    }

    private static async Task<string> CopyAsync(HttpClient http, Uri url, string file, string what, long? expectedSize, ITransferProgress? progress)
    {
        using var stall = new CancellationTokenSource(StallTimeout);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
            EnsureSuccess(response, url, what);
            await using var body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
            using var task = progress?.Start($"download {url.Segments[^1]}", expectedSize ?? response.Content.Headers.ContentLength);
            await using var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                long total = 0;
                int n;
                stall.CancelAfter(StallTimeout);
                while ((n = await body.ReadAsync(buffer.AsMemory(0, BufferSize), stall.Token).ConfigureAwait(false)) > 0)
                {
                    total += n;
                    if (total > expectedSize)
                    {
                        throw new DownloadDigestMismatchException($"{what}: {url} is longer than the {expectedSize} bytes announced for it; the download was deleted and nothing was kept");
                    }

                    hash.AppendData(buffer, 0, n);
                    task?.Advance(n);
                    await output.WriteAsync(buffer.AsMemory(0, n), CancellationToken.None).ConfigureAwait(false);
                    stall.CancelAfter(StallTimeout);
                }

                output.Flush(flushToDisk: true);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        catch (OperationCanceledException e) when (stall.IsCancellationRequested)
        {
            throw new ImageException($"{what}: {url} sent nothing for {StallTimeout.TotalSeconds:0} seconds; giving up", e);
        }
        catch (HttpRequestException e)
        {
            throw new ImageException($"{what}: cannot download {url}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            throw new ImageException($"{what}: {url} did not answer within {http.Timeout.TotalSeconds:0} seconds", e);
        }
    }

    /// <summary>Small documents (the image index): the body as a stream, failures in the same one-line form.</summary>
    public static async Task<Stream> OpenAsync(HttpClient http, Uri url, string what, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(http);
        try
        {
            var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
            EnsureSuccess(response, url, what);
            return await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ImageException($"{what}: cannot download {url}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            throw new ImageException($"{what}: {url} did not answer within {http.Timeout.TotalSeconds:0} seconds", e);
        }
    }

    private static void EnsureSuccess(HttpResponseMessage response, Uri url, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            var reason = response.ReasonPhrase;
            response.Dispose();
            throw new ImageException($"{what}: GET {url} answered {status} {reason}");
        }
    }
}

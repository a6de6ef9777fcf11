using System.Net;
using System.Security.Cryptography;
using Scute.Images.Download;

namespace Scute.Images.Tests;

[CollectionDefinition(nameof(AllocationMeasuring), DisableParallelization = true)]
public sealed class AllocationMeasuring;

/// <summary>A download streams to disk while it hashes: memory does not grow with its size.</summary>
[Collection(nameof(AllocationMeasuring))]
public sealed class StreamingDownloadTests : IDisposable
{
    private const long Size = 96L * 1024 * 1024;
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_large_download_is_hashed_on_the_way_to_disk_in_constant_memory()
    {
        using var http = new HttpClient(new GeneratedBody(Size));
        var file = temp.Combine("big");
        using var expected = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[1 << 16];
        for (long left = Size; left > 0; left -= chunk.Length)
        {
            GeneratedBody.Fill(chunk);
            expected.AppendData(chunk, 0, (int)Math.Min(chunk.Length, left));
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var sha = VerifiedDownload.ToFile(http, new Uri("https://files.example/big"), file, "test", Convert.ToHexStringLower(expected.GetHashAndReset()));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(Size, new FileInfo(file).Length);
        Assert.Equal(64, sha.Length);
        Assert.True(allocated < 8 * 1024 * 1024, $"allocated {allocated} bytes to download {Size}");
    }

    /// <summary>Serves <c>size</c> bytes of a fixed pattern without ever holding them.</summary>
    private sealed class GeneratedBody(long size) : HttpMessageHandler
    {
        public static void Fill(Span<byte> chunk)
        {
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = unchecked((byte)(i * 31));
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new Pattern(size), 1 << 16) });

        private sealed class Pattern(long size) : Scute.Store.ReadOnlyForwardStream
        {
            private long position;

            public override long Length => size;

            public override int Read(Span<byte> buffer)
            {
                // Chunks of 64 KiB aligned with Fill's pattern, whatever size the reader asks for.
                var inChunk = (int)(position % (1 << 16));
                var n = (int)Math.Min(Math.Min(buffer.Length, (1 << 16) - inChunk), size - position);
                for (var i = 0; i < n; i++)
                {
                    buffer[i] = unchecked((byte)((inChunk + i) * 31));
                }

                position += n;
                return n;
            }
        }
    }
}

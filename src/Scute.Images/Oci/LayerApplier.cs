using Scute.Images.Providers;
using Scute.Store;
using Scute.Store.Tar;

namespace Scute.Images.Oci;

/// <summary>
/// Applies image layers in order onto one rootfs through the store's safe extractor, with OCI
/// whiteouts. Each layer streams: blob → digest check → decompression → tar → files, in constant
/// memory whatever its size.
/// </summary>
public static class LayerApplier
{
    private static readonly ExtractOptions Options = new() { OciWhiteouts = true };

    /// <summary>
    /// Applies one layer. <paramref name="blob"/> is already checked against its digest as it is read
    /// (the caller wraps it); <paramref name="mediaType"/> null means "find out from the bytes".
    /// </summary>
    public static void Apply(Stream blob, string? mediaType, string rootfs, string what)
    {
        ArgumentNullException.ThrowIfNull(blob);
        LayerCompression? declared = null;
        if (mediaType is not null)
        {
            declared = OciMediaTypes.LayerCompressionOf(mediaType)
                ?? throw new ImageException($"{what}: media type {mediaType} is not an image layer");
        }

        try
        {
            using var tar = Decompression.Open(new NonClosingStream(blob), out var found);
            if (declared is { } d && d != found)
            {
                throw new ImageException($"{what}: declared as {d} ({mediaType}) but its bytes are {found}");
            }

            SafeTarExtractor.Extract(tar, rootfs, Options);
        }
        catch (UnsafeArchiveException e)
        {
            VerifyRest(blob);
            throw new ImageException($"{what}: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            // Damaged bytes usually fail decompression before the digest is known: say "mismatch" (exit 3) when that is the cause.
            VerifyRest(blob);
            throw new ImageException($"{what}: not a readable layer ({e.Message})", e);
        }

        // The tar reader stops at the end-of-archive blocks; the digest covers every byte.
        VerifyRest(blob);
    }

    private static void VerifyRest(Stream blob)
    {
        if (blob is HashingReadStream verified)
        {
            verified.ReadToEndAndVerify();
        }
    }

    /// <summary>Lets the decompressor be disposed without closing the blob, which is still to be read to its end.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

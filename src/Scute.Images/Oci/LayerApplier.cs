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
            // Not owning the blob: the decompressor goes, the blob is still to be read to its end for its digest.
            using var tar = Decompression.Open(new PassThroughReadStream(blob, ownsInner: false), out var found);
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
}

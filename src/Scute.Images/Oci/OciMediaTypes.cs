namespace Scute.Images.Oci;

/// <summary>The manifest and layer media types Scute reads (OCI image-spec and Docker v2 schema 2).</summary>
public static class OciMediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>What a manifest GET accepts, most specific first.</summary>
    public static readonly string[] Manifests = [OciIndex, OciManifest, DockerManifestList, DockerManifest];

    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    public static bool IsManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;

    /// <summary>
    /// The compression a layer media type declares, or null when it is not an image layer at all
    /// (an attestation, a Helm chart ...). OCI "+gzip"/"+zstd" suffixes, Docker's ".tar.gzip",
    /// nondistributable and foreign variants included.
    /// </summary>
    public static LayerCompression? LayerCompressionOf(string mediaType)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        var isLayer = mediaType.StartsWith("application/vnd.oci.image.layer.", StringComparison.Ordinal)
            || mediaType.StartsWith("application/vnd.docker.image.rootfs.", StringComparison.Ordinal);
        if (!isLayer)
        {
            return null;
        }

        if (mediaType.EndsWith("+gzip", StringComparison.Ordinal) || mediaType.EndsWith(".gzip", StringComparison.Ordinal))
        {
            return LayerCompression.Gzip;
        }

        if (mediaType.EndsWith("+zstd", StringComparison.Ordinal) || mediaType.EndsWith(".zstd", StringComparison.Ordinal))
        {
            return LayerCompression.Zstd;
        }

        return mediaType.EndsWith(".tar", StringComparison.Ordinal) ? LayerCompression.None : null;
    }
}

public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
    Xz,
}

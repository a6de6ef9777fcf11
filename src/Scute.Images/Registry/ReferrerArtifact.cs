using Scute.Manifest;
using Scute.Store;

namespace Scute.Images.Registry;

/// <summary>
/// An artifact pushed beside an image and pointing at it: an SBOM, a signature, Scute's own
/// environment record. Its blobs become the layers of an OCI 1.1 artifact manifest whose
/// <c>subject</c> is the image manifest.
/// </summary>
/// <param name="ArtifactType">The manifest's <c>artifactType</c>, e.g. application/spdx+json.</param>
/// <param name="Tag">
/// Null: attached as a referrer (the referrers API where the registry has it, else the
/// <c>sha256-&lt;hex&gt;</c> index tag of the fallback schema). A function of the subject digest
/// (e.g. <c>sha256-&lt;hex&gt;.sig</c>): put at that tag instead, as cosign does.
/// </param>
public sealed record ReferrerArtifact(
    string ArtifactType,
    IReadOnlyList<PushBlob> Blobs,
    IReadOnlyDictionary<string, string> Annotations,
    Func<Digest, string>? Tag = null);

/// <summary>The image a push has just uploaded, as its attachments see it.</summary>
public sealed record PushedImage(RegistryReference Target, Digest ManifestDigest, long ManifestSize, string ManifestMediaType);

/// <summary>
/// The seam for what rides along with a pushed image (SBOM, signatures): asked once the image
/// manifest is in the registry, for the artifacts to attach to it.
/// </summary>
public interface IPushAttachments
{
    IReadOnlyList<ReferrerArtifact> For(PushedImage image);
}

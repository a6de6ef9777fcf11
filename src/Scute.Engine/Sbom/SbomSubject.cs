using Scute.Manifest;
using Scute.Store;

namespace Scute.Engine.Sbom;

/// <summary>What an SBOM describes besides the package databases: the environment, its base image and its apps.</summary>
/// <param name="BaseManifestDigest">The registry manifest digest of the base, when it came from a registry or OCI layout.</param>
/// <param name="Apps">[gui].apps of the manifest.</param>
/// <param name="Resolved">The versions the build resolved (the lock's packages), for apps no database lists.</param>
/// <param name="Created">creationInfo.created: a fixed date, never the clock, so the same environment has the same document.</param>
public sealed record SbomSubject(
    string EnvId,
    string BaseReference,
    Digest BaseDigest,
    Digest? BaseManifestDigest,
    IReadOnlyList<string> Apps,
    IReadOnlyList<ResolvedPackage> Resolved,
    DateTimeOffset Created);

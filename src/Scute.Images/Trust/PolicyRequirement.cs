using System.Security.Cryptography;

namespace Scute.Images.Trust;

/// <summary>One requirement of containers-policy.json(5) that Scute enforces; a scope holds a list, all of which must accept.</summary>
public abstract record PolicyRequirement
{
    /// <summary>insecureAcceptAnything: accept any image.</summary>
    public sealed record AcceptAnything : PolicyRequirement;

    /// <summary>reject: refuse every image.</summary>
    public sealed record Reject : PolicyRequirement;

    /// <summary>sigstoreSigned with keyPath/keyPaths/keyData: at least one signature by one of the keys, for an accepted identity.</summary>
    public sealed record SigstoreSigned(IReadOnlyList<ECDsa> Keys, SignedIdentity Identity) : PolicyRequirement;
}

/// <summary>signedIdentity: which docker reference a signature must claim for the image being pulled.</summary>
public abstract record SignedIdentity
{
    /// <summary>The default: a tag must be signed for exactly that reference; a digest for the same repository.</summary>
    public sealed record MatchRepoDigestOrExact : SignedIdentity;

    public sealed record MatchRepository : SignedIdentity;

    public sealed record MatchExact : SignedIdentity;

    public sealed record ExactReference(string DockerReference) : SignedIdentity;

    public sealed record ExactRepository(string DockerRepository) : SignedIdentity;
}

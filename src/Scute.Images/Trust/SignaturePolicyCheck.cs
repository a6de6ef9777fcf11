using Scute.Store;

namespace Scute.Images.Trust;

/// <summary>
/// Applies the scope's requirements to one image: every requirement must accept. sigstoreSigned
/// accepts when one attached signature verifies under one of its keys, claims exactly the
/// manifest digest being pulled, and claims an identity the scope's signedIdentity accepts.
/// A refusal names the scope and why (<see cref="ImageTrustException"/>, exit 2).
/// </summary>
public static class SignaturePolicyCheck
{
    /// <summary>True when the scope needs no signatures (only insecureAcceptAnything), so none are fetched.</summary>
    public static bool NeedsSignatures(IReadOnlyList<PolicyRequirement> requirements) =>
        requirements.Any(r => r is not PolicyRequirement.AcceptAnything);

    public static async Task EnforceAsync(
        string scope, IReadOnlyList<PolicyRequirement> requirements, DockerName pulled, Digest manifestDigest,
        Func<Task<IReadOnlyList<SigstoreSignature>>> signatures)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        ArgumentNullException.ThrowIfNull(pulled);
        ArgumentNullException.ThrowIfNull(signatures);
        IReadOnlyList<SigstoreSignature>? fetched = null;
        foreach (var requirement in requirements)
        {
            switch (requirement)
            {
                case PolicyRequirement.AcceptAnything:
                    break;
                case PolicyRequirement.Reject:
                    throw new ImageTrustException($"{pulled}: refused by signature policy scope {scope} (reject)");
                case PolicyRequirement.SigstoreSigned signed:
                    fetched ??= await signatures().ConfigureAwait(false);
                    if (Reject(signed, pulled, manifestDigest, fetched) is { } why)
                    {
                        throw new ImageTrustException($"{pulled} ({manifestDigest}): refused by signature policy scope {scope} (sigstoreSigned): {why}");
                    }

                    break;
            }
        }
    }

    /// <summary>Null when some signature is accepted; else why none was.</summary>
    public static string? Reject(PolicyRequirement.SigstoreSigned rule, DockerName pulled, Digest manifestDigest, IReadOnlyList<SigstoreSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(signatures);
        if (signatures.Count == 0)
        {
            return $"the image has no sigstore signature (looked for the {SignatureAttachment.Tag(manifestDigest)} attachment)";
        }

        var reasons = new List<string>();
        foreach (var signature in signatures)
        {
            if (!signature.IsSignedByAny(rule.Keys))
            {
                reasons.Add("a signature does not verify with the policy's key");
                continue;
            }

            (string Digest, string Reference) claims;
            try
            {
                claims = SimpleSigningPayload.Parse(signature.Payload);
            }
            catch (InvalidDataException e)
            {
                reasons.Add("a signed payload is malformed: " + e.Message);
                continue;
            }

            if (claims.Digest != manifestDigest.ToString())
            {
                reasons.Add($"a signature is for manifest {claims.Digest}");
            }
            else if (!IdentityMatch.Accepts(rule.Identity, pulled, claims.Reference))
            {
                reasons.Add($"a signature's identity \"{claims.Reference}\" is not accepted for {pulled}");
            }
            else
            {
                return null;
            }
        }

        return string.Join("; ", reasons.Distinct(StringComparer.Ordinal));
    }
}

using System.Security.Cryptography;
using Scute.Store;

namespace Scute.Images.Trust;

/// <summary>A signature as cosign stores it: the payload bytes and the base64 of the ASN.1 DER ECDSA-SHA256 signature over them.</summary>
public sealed record SigstoreSignature(byte[] Payload, string Base64Signature)
{
    /// <summary>The media type of the attachment layer holding the payload.</summary>
    public const string PayloadMediaType = "application/vnd.dev.cosign.simplesigning.v1+json";

    /// <summary>The layer annotation holding <see cref="Base64Signature"/>.</summary>
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";

    public static SigstoreSignature Sign(ECDsa key, Digest manifestDigest, string dockerReference)
    {
        ArgumentNullException.ThrowIfNull(key);
        var payload = SimpleSigningPayload.Create(manifestDigest, dockerReference);
        var signature = key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new SigstoreSignature(payload, Convert.ToBase64String(signature));
    }

    /// <summary>True when any of <paramref name="keys"/> made the signature over exactly these payload bytes.</summary>
    public bool IsSignedByAny(IEnumerable<ECDsa> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        byte[] der;
        try
        {
            der = Convert.FromBase64String(Base64Signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return keys.Any(k => k.VerifyData(Payload, der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }
}

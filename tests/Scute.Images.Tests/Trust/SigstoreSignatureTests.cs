using System.Security.Cryptography;
using System.Text;
using Scute.Images.Trust;
using Scute.Store;

namespace Scute.Images.Tests.Trust;

public sealed class SigstoreSignatureTests : IDisposable
{
    private static readonly Digest Manifest = Digest.Parse("sha256:" + new string('a', 64));
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Payload_is_the_simple_signing_document_byte_for_byte()
    {
        var payload = SimpleSigningPayload.Create(Manifest, "registry.example/team/app:1.0");

        Assert.Equal(
            "{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example/team/app:1.0\"},\"image\":{\"docker-manifest-digest\":\"sha256:"
            + new string('a', 64) + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}",
            Encoding.UTF8.GetString(payload));
        Assert.Equal((Manifest.ToString(), "registry.example/team/app:1.0"), SimpleSigningPayload.Parse(payload));
    }

    [Theory]
    [InlineData("{\"critical\":{\"identity\":{\"docker-reference\":\"a/b\"},\"image\":{\"docker-manifest-digest\":\"sha256:x\"},\"type\":\"other\"},\"optional\":null}")]
    [InlineData("{\"critical\":{\"identity\":{\"docker-reference\":\"a/b\"},\"image\":{\"docker-manifest-digest\":\"sha256:x\"},\"type\":\"cosign container image signature\",\"extra\":1},\"optional\":null}")]
    [InlineData("{\"critical\":{\"identity\":{},\"image\":{\"docker-manifest-digest\":\"sha256:x\"},\"type\":\"cosign container image signature\"},\"optional\":null}")]
    [InlineData("{\"optional\":null}")]
    [InlineData("not json")]
    public void Payloads_that_containers_image_refuses_are_refused(string payload) =>
        Assert.Throws<InvalidDataException>(() => SimpleSigningPayload.Parse(Encoding.UTF8.GetBytes(payload)));

    [Fact]
    public void Signature_verifies_with_the_public_key_and_not_with_another()
    {
        var pair = SigningKeys.Generate();
        using var signer = SigningKeys.LoadPrivate(pair.PrivatePem, "test.key");
        var publicKeys = SigningKeys.LoadPublic(pair.PublicPem, "test.pub");
        var other = SigningKeys.LoadPublic(SigningKeys.Generate().PublicPem, "other.pub");

        var signature = SigstoreSignature.Sign(signer, Manifest, "registry.example/team/app:1.0");

        Assert.True(signature.IsSignedByAny(publicKeys));
        Assert.False(signature.IsSignedByAny(other));
        // ASN.1 DER, as cosign and containers/image expect: a SEQUENCE of two INTEGERs.
        Assert.Equal(0x30, Convert.FromBase64String(signature.Base64Signature)[0]);
    }

    [Fact]
    public void One_changed_byte_of_payload_or_signature_fails_verification()
    {
        var pair = SigningKeys.Generate();
        using var signer = SigningKeys.LoadPrivate(pair.PrivatePem, "test.key");
        var keys = SigningKeys.LoadPublic(pair.PublicPem, "test.pub");
        var signature = SigstoreSignature.Sign(signer, Manifest, "registry.example/team/app:1.0");

        var payload = (byte[])signature.Payload.Clone();
        payload[^5] ^= 1;
        var der = Convert.FromBase64String(signature.Base64Signature);
        der[^3] ^= 1;

        Assert.False((signature with { Payload = payload }).IsSignedByAny(keys));
        Assert.False((signature with { Base64Signature = Convert.ToBase64String(der) }).IsSignedByAny(keys));
        Assert.False((signature with { Base64Signature = "not base64!" }).IsSignedByAny(keys));
    }

    [Fact]
    public void Keygen_writes_a_pkcs8_private_key_readable_only_by_its_owner_and_a_public_key_policy_json_reads()
    {
        var (privatePath, publicPath) = SigningKeys.Write(temp.Combine("signing"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(privatePath));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(privatePath), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", File.ReadAllText(publicPath), StringComparison.Ordinal);
        using var key = SigningKeys.LoadPrivate(File.ReadAllText(privatePath), privatePath);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, key.ExportParameters(false).Curve.Oid.Value);
        var signature = SigstoreSignature.Sign(key, Manifest, "a.example/b:c");
        Assert.True(signature.IsSignedByAny(SigningKeys.LoadPublic(File.ReadAllText(publicPath), publicPath)));
        Assert.Throws<IOException>(() => SigningKeys.Write(temp.Combine("signing")));
    }

    [Fact]
    public void A_public_key_file_without_an_ecdsa_key_is_a_trust_error()
    {
        using var rsa = RSA.Create(2048);
        Assert.Throws<ImageTrustException>(() => SigningKeys.LoadPublic("nothing here", "empty.pub"));
        Assert.Throws<ImageTrustException>(() => SigningKeys.LoadPublic(rsa.ExportSubjectPublicKeyInfoPem(), "rsa.pub"));
    }
}

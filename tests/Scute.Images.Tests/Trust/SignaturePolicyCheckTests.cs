using System.Text.Json.Nodes;
using Scute.Images.Oci;
using Scute.Images.Providers;
using Scute.Images.Tests.Oci;
using Scute.Images.Trust;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Images.Tests.Trust;

/// <summary>The policy applied to registry pulls: requirement evaluation, and RegistryImage against a fake registry carrying a .sig attachment.</summary>
public sealed class SignaturePolicyCheckTests : IDisposable
{
    private const string Reference = "fake.test/team/app:1.0";
    private readonly TempDir temp = new();
    private readonly SigningKeys.KeyPair pair = SigningKeys.Generate();

    public void Dispose() => temp.Dispose();

    private static DockerName Pulled => DockerName.From(RegistryReference.Parse(Reference));

    private PolicyRequirement.SigstoreSigned Rule => new(SigningKeys.LoadPublic(pair.PublicPem, "k.pub"), new SignedIdentity.MatchRepoDigestOrExact());

    private SigstoreSignature Sign(Digest digest, string reference = Reference)
    {
        using var key = SigningKeys.LoadPrivate(pair.PrivatePem, "k.key");
        return SigstoreSignature.Sign(key, digest, reference);
    }

    private static readonly Digest Manifest = Digest.Compute("manifest"u8);

    [Fact]
    public void A_valid_signature_for_the_digest_and_reference_is_accepted() =>
        Assert.Null(SignaturePolicyCheck.Reject(Rule, Pulled, Manifest, [Sign(Manifest)]));

    [Fact]
    public void Unsigned_wrong_digest_wrong_identity_and_wrong_key_are_refused_with_the_reason()
    {
        Assert.Contains("no sigstore signature", SignaturePolicyCheck.Reject(Rule, Pulled, Manifest, []), StringComparison.Ordinal);
        Assert.Contains("is for manifest", SignaturePolicyCheck.Reject(Rule, Pulled, Manifest, [Sign(Digest.Compute("other"u8))]), StringComparison.Ordinal);
        Assert.Contains("identity", SignaturePolicyCheck.Reject(Rule, Pulled, Manifest, [Sign(Manifest, "fake.test/team/app:2.0")]), StringComparison.Ordinal);
        var stranger = SigstoreSignature.Sign(SigningKeys.LoadPrivate(SigningKeys.Generate().PrivatePem, "x"), Manifest, Reference);
        Assert.Contains("does not verify", SignaturePolicyCheck.Reject(Rule, Pulled, Manifest, [stranger]), StringComparison.Ordinal);
        // One good signature among bad ones is enough, as in containers/image.
        Assert.Null(SignaturePolicyCheck.Reject(Rule, Pulled, Manifest, [stranger, Sign(Manifest)]));
    }

    [Fact]
    public async Task Reject_refuses_naming_the_scope_and_accept_anything_fetches_no_signature()
    {
        var e = await Assert.ThrowsAsync<ImageTrustException>(() => SignaturePolicyCheck.EnforceAsync("default of p.json", [new PolicyRequirement.Reject()], Pulled, Manifest, () => throw new InvalidOperationException()));
        Assert.Contains("default of p.json", e.Message, StringComparison.Ordinal);
        await SignaturePolicyCheck.EnforceAsync("x", [new PolicyRequirement.AcceptAnything()], Pulled, Manifest, () => throw new InvalidOperationException());
        Assert.False(SignaturePolicyCheck.NeedsSignatures([new PolicyRequirement.AcceptAnything()]));
    }

    private Dictionary<string, string> PolicyEnv()
    {
        var key = temp.Combine("k.pub");
        File.WriteAllText(key, pair.PublicPem);
        var policy = temp.Combine("policy.json");
        File.WriteAllText(policy, $$$$"""{"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker":{"fake.test/team":[{"type":"sigstoreSigned","keyPath":"{{{{key}}}}"}]}}}""");
        return new Dictionary<string, string> { ["HOME"] = temp.Combine("home"), [ContainersPolicy.PolicyVariable] = policy };
    }

    private static void Attach(FakeRegistry registry, Digest manifest, SigstoreSignature signature)
    {
        var config = SignatureAttachment.Config([Digest.Compute(signature.Payload)]);
        registry.AddBlob(config);
        registry.AddBlob(signature.Payload);
        var bytes = SignatureAttachment.Manifest(config, [(signature.Payload, signature.Base64Signature)]);
        registry.AddManifest(JsonNode.Parse(bytes)!.AsObject(), OciMediaTypes.OciManifest, SignatureAttachment.Tag(manifest));
    }

    private ResolvedImage Pull(FakeRegistry registry, Dictionary<string, string> env)
    {
        var store = ScuteStore.OpenOrCreate(temp.Combine("store"));
        return RegistryImage.Resolve(new ImageCache(store), store, ImageReference.Parse(Reference, "/"), null, registry, env.GetValueOrDefault);
    }

    [Fact]
    public void Registry_pull_under_a_sigstore_scope_accepts_a_signed_image()
    {
        var registry = new FakeRegistry();
        var manifest = Digest.Parse(registry.AddImage(OciTestImages.Tar(OciTestImages.Dir("etc/"), OciTestImages.File("etc/hello", "hi")), "1.0")["digest"]!.GetValue<string>());
        Attach(registry, manifest, Sign(manifest));

        var image = Pull(registry, PolicyEnv());

        Assert.Equal(manifest, image.ManifestDigest);
    }

    [Fact]
    public void Registry_pull_refuses_an_unsigned_or_tampered_image_before_fetching_any_blob()
    {
        var registry = new FakeRegistry();
        var manifest = Digest.Parse(registry.AddImage(OciTestImages.Tar(OciTestImages.Dir("etc/"), OciTestImages.File("etc/hello", "hi")), "1.0")["digest"]!.GetValue<string>());
        var env = PolicyEnv();

        var unsigned = Assert.Throws<ImageTrustException>(() => Pull(registry, env));
        Assert.Contains("transports.docker \"fake.test/team\"", unsigned.Message, StringComparison.Ordinal);
        Assert.Contains("no sigstore signature", unsigned.Message, StringComparison.Ordinal);

        var good = Sign(manifest);
        var der = Convert.FromBase64String(good.Base64Signature);
        der[^1] ^= 1;
        Attach(registry, manifest, good with { Base64Signature = Convert.ToBase64String(der) });
        var tampered = Assert.Throws<ImageTrustException>(() => Pull(registry, env));
        Assert.Contains("does not verify", tampered.Message, StringComparison.Ordinal);
        // Only the signature payloads were read: no config or layer blob.
        Assert.Equal(1, registry.BlobGets);
    }
}

using System.Text;
using Scute.Images.Registry;
using Scute.Images.Trust;
using Scute.Integration.Tests.Support;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Integration.Tests;

/// <summary>
/// Scute's signatures with the real tools: an image pushed by skopeo to docker-registry, signed
/// with a key from `scute keygen` and attached by Scute's own upload code (what push --sign-key
/// calls); then skopeo copy, podman pull and scute build, as the test user under a policy.json
/// that requires that key, accept it, and refuse the copy whose signature lost one byte and the
/// unsigned one.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SignatureInteropTests(RegistryFixture registries) : IClassFixture<RegistryFixture>
{
    private sealed record Setup(ScuteSession Session, RegistryServer Server, string Policy, string RegistriesD, string Signed, string Tampered, string Unsigned)
    {
        /// <summary>Without it the tools look in /run/containers/&lt;uid&gt;, which only root may read here.</summary>
        public Dictionary<string, string> Env => new() { ["REGISTRY_AUTH_FILE"] = Path.Combine(Session.Project, "auth.json") };
    }

    private Setup Prepare()
    {
        Skip.IfNot(RegistryServer.Available, "needs docker-registry and skopeo (test.sh installs them)");
        Skip.IfNot(File.Exists(TestOciImages.Busybox), "needs /bin/busybox (busybox-static)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var server = registries.Open;
        var unique = Guid.NewGuid().ToString("N")[..8];
        var layout = Path.Combine(s.Root, "layout");
        TestOciImages.WriteLayout(layout, "1.0", unique, TestOciImages.HostArchitecture);
        Chown(s, layout);
        var signed = Push(server, layout, $"trust-{unique}/signed");
        var tampered = Push(server, layout, $"trust-{unique}/tampered");
        var unsigned = Push(server, layout, $"trust-{unique}/unsigned");

        var keygen = s.Scute("keygen", Path.Combine(s.Project, "signing"));
        Assert.True(keygen.ExitCode == 0, keygen.ToString());
        using var key = SigningKeys.LoadPrivate(File.ReadAllText(Path.Combine(s.Project, "signing.key")), "scute.key");
        Attach(server, signed, SigstoreSignature.Sign(key, TopDigest(server, signed), signed));
        var good = SigstoreSignature.Sign(key, TopDigest(server, tampered), tampered);
        var der = Convert.FromBase64String(good.Base64Signature);
        der[^1] ^= 0x01;
        Attach(server, tampered, good with { Base64Signature = Convert.ToBase64String(der) });

        var policy = s.Write("trust/policy.json", $$$$"""
            {"default":[{"type":"insecureAcceptAnything"}],
             "transports":{"docker":{"{{{{server.Host}}}}/trust-{{{{unique}}}}":[{"type":"sigstoreSigned","keyPath":"{{{{Path.Combine(s.Project, "signing.pub")}}}}"}]}}}
            """);
        s.Write("auth.json", "{}");
        var registriesD = Path.GetDirectoryName(s.Write("trust/registries.d/scute-test.yaml", $"docker:\n  {server.Host}:\n    use-sigstore-attachments: true\n"))!;
        return new Setup(s, server, policy, registriesD, signed, tampered, unsigned);
    }

    private static void Chown(ScuteSession s, string path)
    {
        if (TestUser.RunningAsRoot)
        {
            Assert.Equal(0, TestUser.Run("chown", ["-R", $"{s.User.Name}:{s.User.Name}", path]).ExitCode);
        }
    }

    private static string Push(RegistryServer server, string layout, string repository)
    {
        server.Push("oci:" + layout + ":1.0", repository, "1.0");
        return server.Reference(repository, "1.0");
    }

    private static Digest TopDigest(RegistryServer server, string reference)
    {
        var name = RegistryReference.Parse(reference);
        using var client = new RegistryClient(name.Registry, null, server.Host);
        return client.GetManifestAsync(name.Repository, name.Tag!, CancellationToken.None).GetAwaiter().GetResult().Digest;
    }

    private static void Attach(RegistryServer server, string reference, SigstoreSignature signature)
    {
        var name = RegistryReference.Parse(reference);
        SignatureStore.AttachAsync(name, TopDigest(server, reference), signature, null, server.Host, null, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static ProcessResult SkopeoCopy(Setup t, string reference) =>
        t.Session.User.RunAs(
            ["skopeo", "--policy", t.Policy, "--registries.d", t.RegistriesD, "copy", "--quiet", "--remove-signatures", "--src-tls-verify=false",
             "docker://" + reference, $"oci:{Path.Combine(t.Session.Root, "copies", Guid.NewGuid().ToString("N"))}:x"],
            t.Session.Root,
            t.Env,
            timeoutMs: 120_000);

    private static ProcessResult ScuteBuild(Setup t, string reference)
    {
        var file = t.Session.Write($"{Guid.NewGuid():N}/scute.toml", Manifests.WithImage(reference));
        var env = new Dictionary<string, string>
        {
            ["SCUTE_STORE"] = t.Session.Store,
            ["SCUTE_INSECURE_REGISTRIES"] = t.Server.Host,
            [ContainersPolicy.PolicyVariable] = t.Policy,
        };
        return t.Session.User.RunAs([ScuteBinary.Path, "build", file], t.Session.Project, env);
    }

    /// <summary>Debian patches sigstore verification out of its containers/image (skopeo 1.9.3, podman 4.3): the tools then refuse every sigstoreSigned scope.</summary>
    private static void SkipIfSigstoreDisabled(ProcessResult r) =>
        Skip.If(
            r.ExitCode != 0 && r.Stderr.Contains("sigstore disabled", StringComparison.Ordinal),
            "this machine's skopeo and podman are built without sigstore verification (\"Debian-local change: sigstore disabled\"); the attachment and signature format are checked against skopeo and openssl by Skopeo_reads_the_attachment_scute_wrote_and_openssl_verifies_its_signature");

    [SkippableFact]
    public void Skopeo_reads_the_attachment_scute_wrote_and_openssl_verifies_its_signature()
    {
        var t = Prepare();
        var accept = t.Session.Write("trust/accept.json", """{"default":[{"type":"insecureAcceptAnything"}]}""");
        var copy = Path.Combine(t.Session.Root, "copy-dir");
        Directory.CreateDirectory(copy);
        Chown(t.Session, copy);

        var r = t.Session.User.RunAs(
            ["skopeo", "--policy", accept, "--registries.d", t.RegistriesD, "copy", "--quiet", "--src-tls-verify=false", "docker://" + t.Signed, "dir:" + copy],
            t.Session.Root,
            t.Env);

        Assert.True(r.ExitCode == 0, r.ToString());
        // containers/image's dir: form of a sigstore signature: a zero byte, "sigstore-json", a newline, then {mimeType, payload, annotations}.
        var blob = File.ReadAllBytes(Path.Combine(copy, "signature-1"));
        var prefix = "\0sigstore-json\n"u8.ToArray();
        Assert.Equal(prefix, blob[..prefix.Length]);
        var json = System.Text.Json.Nodes.JsonNode.Parse(blob.AsSpan(prefix.Length))!;
        Assert.Equal(SigstoreSignature.PayloadMediaType, json["mimeType"]!.GetValue<string>());
        var payload = Convert.FromBase64String(json["payload"]!.GetValue<string>());
        Assert.Equal(SimpleSigningPayload.Create(TopDigest(t.Server, t.Signed), t.Signed), payload);
        var signature = Convert.FromBase64String(json["annotations"]![SigstoreSignature.SignatureAnnotation]!.GetValue<string>());

        // An independent verifier: OpenSSL, with the public key exactly as keygen wrote it.
        File.WriteAllBytes(Path.Combine(copy, "payload"), payload);
        File.WriteAllBytes(Path.Combine(copy, "sig.der"), signature);
        var tamperedSignature = (byte[])signature.Clone();
        tamperedSignature[^1] ^= 0x01;
        File.WriteAllBytes(Path.Combine(copy, "tampered.der"), tamperedSignature);
        var publicKey = Path.Combine(t.Session.Project, "signing.pub");
        var ok = TestUser.Run("openssl", ["dgst", "-sha256", "-verify", publicKey, "-signature", Path.Combine(copy, "sig.der"), Path.Combine(copy, "payload")]);
        var bad = TestUser.Run("openssl", ["dgst", "-sha256", "-verify", publicKey, "-signature", Path.Combine(copy, "tampered.der"), Path.Combine(copy, "payload")]);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal("Verified OK", ok.Stdout.Trim());
        Assert.NotEqual(0, bad.ExitCode);
    }

    [SkippableFact]
    public void Skopeo_copy_accepts_the_image_scute_signed_and_refuses_a_changed_signature_and_no_signature()
    {
        var t = Prepare();
        Directory.CreateDirectory(Path.Combine(t.Session.Root, "copies"));
        Chown(t.Session, Path.Combine(t.Session.Root, "copies"));

        var signed = SkopeoCopy(t, t.Signed);
        SkipIfSigstoreDisabled(signed);
        var tampered = SkopeoCopy(t, t.Tampered);
        var unsigned = SkopeoCopy(t, t.Unsigned);

        Assert.True(signed.ExitCode == 0, signed.ToString());
        Assert.NotEqual(0, tampered.ExitCode);
        Assert.Contains("ignature", tampered.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, unsigned.ExitCode);
        Assert.Contains("ignature", unsigned.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Scute_build_under_the_same_policy_accepts_the_signed_image_and_refuses_the_others_with_exit_2_naming_the_scope()
    {
        var t = Prepare();

        var signed = ScuteBuild(t, t.Signed);
        var tampered = ScuteBuild(t, t.Tampered);
        var unsigned = ScuteBuild(t, t.Unsigned);

        Assert.True(signed.ExitCode == 0, signed.ToString());
        Assert.Equal(2, tampered.ExitCode);
        var line = Assert.Single(tampered.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("signature policy scope transports.docker", line, StringComparison.Ordinal);
        Assert.Contains("does not verify", line, StringComparison.Ordinal);
        Assert.Equal(2, unsigned.ExitCode);
        Assert.Contains("no sigstore signature", unsigned.Stderr, StringComparison.Ordinal);
        // Refused before anything was unpacked: only the signed image is in the image cache.
        Assert.Single(Directory.GetDirectories(Path.Combine(t.Session.Store, "images")), d => Path.GetFileName(d).StartsWith("oci-", StringComparison.Ordinal));
    }

    private static ProcessResult PodmanPull(Setup t, string reference) =>
        t.Session.User.RunAs(
            ["podman", "--log-level", "error", "pull", "--quiet", "--tls-verify=false", "--signature-policy", t.Policy, "docker://" + reference],
            t.Session.Root,
            t.Env,
            timeoutMs: 300_000);

    [SkippableFact]
    public void Scute_build_accepts_a_signature_openssl_made_over_the_same_payload_with_the_keygen_key()
    {
        var t = Prepare();
        var layout = Path.Combine(t.Session.Root, "layout");
        var reference = Push(t.Server, layout, RegistryReference.Parse(t.Signed).Repository.Replace("/signed", "/openssl", StringComparison.Ordinal));
        var payloadFile = Path.Combine(t.Session.Root, "openssl-payload");
        var payload = SimpleSigningPayload.Create(TopDigest(t.Server, reference), reference);
        File.WriteAllBytes(payloadFile, payload);
        var sign = TestUser.Run("openssl", ["dgst", "-sha256", "-sign", Path.Combine(t.Session.Project, "signing.key"), "-out", payloadFile + ".der", payloadFile]);
        Assert.True(sign.ExitCode == 0, sign.ToString());
        Attach(t.Server, reference, new SigstoreSignature(payload, Convert.ToBase64String(File.ReadAllBytes(payloadFile + ".der"))));

        var build = ScuteBuild(t, reference);

        Assert.True(build.ExitCode == 0, build.ToString());
    }

    [SkippableFact]
    public void A_signature_is_attached_to_and_read_from_a_registry_that_demands_credentials()
    {
        Skip.IfNot(RegistryServer.Available, "needs docker-registry and skopeo (test.sh installs them)");
        Skip.IfNot(File.Exists(TestOciImages.Busybox), "needs /bin/busybox (busybox-static)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var server = registries.Protected;
        var (user, password) = server.Credentials!.Value;
        var credential = new RegistryCredential(user, password);
        var layout = Path.Combine(s.Root, "layout");
        TestOciImages.WriteLayout(layout, "1.0", Guid.NewGuid().ToString("N"), TestOciImages.HostArchitecture);
        Chown(s, layout);
        var reference = Push(server, layout, $"trust-{Guid.NewGuid().ToString("N")[..8]}/app");
        var name = RegistryReference.Parse(reference);
        using var client = new RegistryClient(name.Registry, credential, server.Host);
        var digest = client.GetManifestAsync(name.Repository, "1.0", CancellationToken.None).GetAwaiter().GetResult().Digest;
        using var key = SigningKeys.LoadPrivate(SigningKeys.Generate().PrivatePem, "k");
        var first = SigstoreSignature.Sign(key, digest, reference);
        var second = SigstoreSignature.Sign(key, digest, reference + "-again");

        SignatureStore.AttachAsync(name, digest, first, credential, server.Host, null, CancellationToken.None).GetAwaiter().GetResult();
        SignatureStore.AttachAsync(name, digest, second, credential, server.Host, null, CancellationToken.None).GetAwaiter().GetResult();
        SignatureStore.AttachAsync(name, digest, first, credential, server.Host, null, CancellationToken.None).GetAwaiter().GetResult();
        var read = SignatureStore.ReadAsync(client, client, name.Repository, digest, CancellationToken.None).GetAwaiter().GetResult();
        var anonymous = Assert.Throws<Scute.Images.ImageException>(() =>
            SignatureStore.AttachAsync(name, digest, SigstoreSignature.Sign(key, digest, reference + "-third"), null, server.Host, null, CancellationToken.None).GetAwaiter().GetResult());

        // The signatures already attached are kept, and the same one is not added twice.
        Assert.Equal([first.Base64Signature, second.Base64Signature], read.Select(r => r.Base64Signature));
        Assert.Equal(first.Payload, read[0].Payload);
        Assert.Contains("refused", anonymous.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Podman_pull_accepts_the_image_scute_signed_and_refuses_a_changed_signature()
    {
        Podman.SkipIfMissing();
        var t = Prepare();
        // containers/image looks for sigstore attachments only where registries.d says so; podman reads the user's folder.
        var userDir = Path.Combine(t.Session.User.Home, ".config", "containers", "registries.d");
        var created = !Directory.Exists(userDir);
        var config = Path.Combine(userDir, $"scute-test-{t.Server.Port}.yaml");
        t.Session.User.RunAs(["mkdir", "-p", userDir]);
        t.Session.User.RunAs(["cp", Path.Combine(t.RegistriesD, "scute-test.yaml"), config]);
        try
        {
            var signed = PodmanPull(t, t.Signed);
            SkipIfSigstoreDisabled(signed);
            var tampered = PodmanPull(t, t.Tampered);

            Assert.True(signed.ExitCode == 0, signed.ToString());
            Assert.NotEqual(0, tampered.ExitCode);
            Assert.Contains("ignature", tampered.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Podman.Run(t.Session.User, t.Session.Root, "rmi", "--force", t.Signed);
            t.Session.User.RunAs(created ? ["rm", "-rf", userDir] : ["rm", "-f", config]);
        }
    }
}

using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// What rides along a push and what a pull checks first (issue 11, points 3 and 4 through push
/// and pull): the SBOM as an SPDX referrer that pull brings into the second store, a signature
/// made by push --sign-key, and containers-policy.json deciding a pull before anything is kept.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SharingTrustTests
{
    private static ProcessResult Scute(ScuteSession s, RegistryServer server, IReadOnlyDictionary<string, string>? extra, params string[] args)
    {
        var env = new Dictionary<string, string>(s.Environment) { ["SCUTE_STORE"] = s.Store, ["SCUTE_INSECURE_REGISTRIES"] = server.Host };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>())
        {
            env[k] = v;
        }

        return s.User.RunAs([ScuteBinary.Path, .. args], s.Project, env);
    }

    private static string Repository(string what) => $"trust/{what}-{Guid.NewGuid().ToString("N")[..8]}";

    private static ScuteSession Session()
    {
        Skip.IfNot(RegistryServer.Available, "needs docker-registry and skopeo (test.sh installs them)");
        return new ScuteSession(TestUser.WithSubIds);
    }

    [SkippableFact]
    public void Push_attaches_the_sbom_and_pull_brings_it_into_the_second_store()
    {
        var first = Session();
        var second = new ScuteSession(TestUser.WithSubIds);
        using var server = RegistryServer.Start();
        var env = first.Build(Manifests.Strict, name: "with-sbom");
        var reference = server.Reference(Repository("sbom"), "1");

        var push = Scute(first, server, null, "--json", "push", env, reference);
        Assert.True(push.ExitCode == 0, push.ToString());
        var manifestDigest = JsonNode.Parse(push.Stdout)!["manifest_digest"]!.GetValue<string>();
        var pull = Scute(second, server, null, "--json", "pull", reference);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        var envId = JsonNode.Parse(pull.Stdout)!["env_id"]!.GetValue<string>();

        // The pulled metadata names an SBOM object: fetched, not made again.
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(second.Store, "store", "metadata", envId)))!;
        var sbomDigest = metadata["sbom"]?.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(sbomDigest), metadata.ToJsonString());
        Assert.True(server.BlobGets(sbomDigest!) >= 1, $"the registry served no GET of {sbomDigest}");
        var original = first.Scute("sbom", env);
        var pulled = second.Scute("sbom", "with-sbom");
        Assert.True(original.ExitCode == 0 && pulled.ExitCode == 0, original + pulled.ToString());
        Assert.Equal(original.Stdout, pulled.Stdout);
        Assert.Contains("\"spdxVersion\": \"SPDX-2.3\"", pulled.Stdout.Replace("\":\"", "\": \"", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.NotEqual(string.Empty, manifestDigest);
        Assert.Equal(0, second.Scute("verify-store").ExitCode);
    }

    [SkippableFact]
    public void A_pull_under_a_sigstore_scope_takes_a_signed_push_and_refuses_an_unsigned_one_before_keeping_anything()
    {
        var first = Session();
        var second = new ScuteSession(TestUser.WithSubIds);
        using var server = RegistryServer.Start();
        var keygen = first.Scute("keygen", Path.Combine(first.Project, "site"));
        Assert.True(keygen.ExitCode == 0, keygen.ToString());
        var env = first.Build(Manifests.Strict, name: "signed");
        var repository = Repository("signed");
        var signedRef = server.Reference(repository, "signed");
        var unsignedRef = server.Reference(repository, "unsigned");
        var policy = second.Write("policy.json", $$$$"""
            {"default":[{"type":"insecureAcceptAnything"}],
             "transports":{"docker":{"{{{{server.Host}}}}/{{{{repository}}}}":[{"type":"sigstoreSigned","keyPath":"{{{{Path.Combine(first.Project, "site.pub")}}}}"}]}}}
            """);
        var trust = new Dictionary<string, string> { ["SCUTE_SIGNATURE_POLICY"] = policy };

        var signedPush = Scute(first, server, null, "push", "--sign-key", Path.Combine(first.Project, "site.key"), env, signedRef);
        // The unsigned push goes to a tag whose manifest differs (another tag of the same content would share the signature).
        var other = first.Build(Manifests.Strict.Replace("network_isolation = true", "network_isolation = false", StringComparison.Ordinal), "other.toml", name: "unsigned");
        var unsignedPush = Scute(first, server, null, "push", other, unsignedRef);
        Assert.True(signedPush.ExitCode == 0 && unsignedPush.ExitCode == 0, signedPush + unsignedPush.ToString());

        var refused = Scute(second, server, trust, "pull", unsignedRef);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains(repository, refused.Stderr, StringComparison.Ordinal);
        Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(JsonNode.Parse(second.Scute("--json", "list").Stdout)!.AsArray());

        var accepted = Scute(second, server, trust, "pull", signedRef);
        Assert.True(accepted.ExitCode == 0, accepted.ToString());
        Assert.Single(JsonNode.Parse(second.Scute("--json", "list").Stdout)!.AsArray());
    }
}

using Scute.Images.Trust;
using Scute.Manifest;

namespace Scute.Images.Tests.Trust;

public sealed class PolicyScopeTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    private static DockerName Name(string reference) => DockerName.From(RegistryReference.Parse(reference));

    [Fact]
    public void Scopes_go_from_the_exact_reference_to_the_repository_its_namespaces_the_host_and_domain_wildcards()
    {
        Assert.Equal(
            ["registry.example.com:5000/team/sub/app:1.0", "registry.example.com:5000/team/sub/app", "registry.example.com:5000/team/sub",
             "registry.example.com:5000/team", "registry.example.com:5000", "*.example.com", "*.com"],
            Name("registry.example.com:5000/team/sub/app:1.0").Scopes());
        Assert.Equal(
            ["docker.io/library/busybox@sha256:" + new string('b', 64), "docker.io/library/busybox", "docker.io/library", "docker.io", "*.io"],
            Name("docker.io/busybox@sha256:" + new string('b', 64)).Scopes());
        Assert.Equal("quay.io/x/y:latest", Name("quay.io/x/y").Scopes()[0]);
    }

    private string Policy(string json)
    {
        var path = temp.Combine("policy.json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string Scoped = """
        {"default":[{"type":"reject"}],
         "transports":{"docker":{
           "":[{"type":"insecureAcceptAnything"}],
           "reg.example/team":[{"type":"reject"}],
           "reg.example/team/app":[{"type":"insecureAcceptAnything"}],
           "reg.example/team/app:pinned":[{"type":"reject"}],
           "*.internal":[{"type":"reject"}],
           "other.example":[{"type":"reject"}]}}}
        """;

    [Theory]
    [InlineData("reg.example/team/app:1.0", "transports.docker \"reg.example/team/app\"", typeof(PolicyRequirement.AcceptAnything))]
    [InlineData("reg.example/team/app:pinned", "transports.docker \"reg.example/team/app:pinned\"", typeof(PolicyRequirement.Reject))]
    [InlineData("reg.example/team/other:1", "transports.docker \"reg.example/team\"", typeof(PolicyRequirement.Reject))]
    [InlineData("reg.example/elsewhere:1", "transports.docker \"\"", typeof(PolicyRequirement.AcceptAnything))]
    [InlineData("other.example/a/b:1", "transports.docker \"other.example\"", typeof(PolicyRequirement.Reject))]
    [InlineData("mirror.corp.internal:8443/a:1", "transports.docker \"*.internal\"", typeof(PolicyRequirement.Reject))]
    public void The_most_specific_scope_applies(string reference, string scope, Type requirement)
    {
        var policy = ContainersPolicy.Parse(Scoped, "policy.json");

        var (found, requirements) = policy.For(Name(reference));

        Assert.Equal(scope + " of policy.json", found);
        Assert.IsType(requirement, Assert.Single(requirements));
    }

    [Fact]
    public void Without_docker_scopes_the_default_applies()
    {
        var (scope, requirements) = ContainersPolicy.Parse("""{"default":[{"type":"reject"}]}""", "p.json").For(Name("a.example/b:c"));

        Assert.Equal("default of p.json", scope);
        Assert.IsType<PolicyRequirement.Reject>(Assert.Single(requirements));
    }

    [Theory]
    [InlineData("""{"transports":{}}""")]
    [InlineData("""{"default":[]}""")]
    [InlineData("""{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k"}]}""")]
    [InlineData("""{"default":[{"type":"sigstoreSigned"}]}""")]
    [InlineData("""{"default":[{"type":"sigstoreSigned","keyPath":"/nonexistent/key.pub"}]}""")]
    [InlineData("""{"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker":{"a.example":[{"type":"sigstoreSigned","fulcio":{}}]}}}""")]
    [InlineData("not json")]
    public void A_policy_scute_cannot_apply_faithfully_is_refused_when_read(string json) =>
        Assert.Throws<ImageTrustException>(() => ContainersPolicy.Parse(json, "p.json"));

    [Fact]
    public void Sigstore_keys_come_from_keyPath_or_keyData_and_identity_defaults_to_matchRepoDigestOrExact()
    {
        var pem = SigningKeys.Generate().PublicPem;
        var keyPath = temp.Combine("k.pub");
        File.WriteAllText(keyPath, pem);
        var data = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pem));
        var policy = ContainersPolicy.Parse(
            $$$$"""{"default":[{"type":"sigstoreSigned","keyPath":"{{{{keyPath}}}}"}],"transports":{"docker":{"a.example":[{"type":"sigstoreSigned","keyData":"{{{{data}}}}","signedIdentity":{"type":"matchRepository"}}]}}}""",
            "p.json");

        var byPath = Assert.IsType<PolicyRequirement.SigstoreSigned>(Assert.Single(policy.For(Name("b.example/x:1")).Requirements));
        var byData = Assert.IsType<PolicyRequirement.SigstoreSigned>(Assert.Single(policy.For(Name("a.example/x:1")).Requirements));

        Assert.Single(byPath.Keys);
        Assert.IsType<SignedIdentity.MatchRepoDigestOrExact>(byPath.Identity);
        Assert.IsType<SignedIdentity.MatchRepository>(byData.Identity);
    }

    [Fact]
    public void The_policy_file_is_the_given_one_else_the_users_else_the_systems()
    {
        var home = temp.Combine("home");
        var user = Path.Combine(home, ".config", "containers", "policy.json");
        Directory.CreateDirectory(Path.GetDirectoryName(user)!);
        var env = new Dictionary<string, string> { ["HOME"] = home };

        File.WriteAllText(user, "{}");
        Assert.Equal(user, ContainersPolicy.Locate(env.GetValueOrDefault));
        env[ContainersPolicy.PolicyVariable] = "/x/policy.json";
        Assert.Equal("/x/policy.json", ContainersPolicy.Locate(env.GetValueOrDefault));
        env.Remove(ContainersPolicy.PolicyVariable);
        File.Delete(user);
        Assert.Equal(File.Exists(ContainersPolicy.SystemFile) ? ContainersPolicy.SystemFile : null, ContainersPolicy.Locate(env.GetValueOrDefault));
    }

    [Fact]
    public void A_policy_file_named_explicitly_must_exist()
    {
        var env = new Dictionary<string, string> { [ContainersPolicy.PolicyVariable] = temp.Combine("absent.json") };

        Assert.Throws<ImageTrustException>(() => ContainersPolicy.Load(env.GetValueOrDefault));
    }
}

using Scute.Images.Trust;
using Scute.Manifest;

namespace Scute.Images.Tests.Trust;

public sealed class IdentityMatchTests
{
    private static readonly string D = "sha256:" + new string('c', 64);

    public static TheoryData<string, string, string, bool> Cases => new()
    {
        // matchRepoDigestOrExact (the default): a tag needs exactly that reference signed ...
        { "default", "reg.example/a/b:1", "reg.example/a/b:1", true },
        { "default", "reg.example/a/b:1", "reg.example/a/b:2", false },
        { "default", "reg.example/a/b:1", "reg.example/a/b", false },
        { "default", "reg.example/a/b:1", "reg.example/a/c:1", false },
        { "default", "reg.example/a/b", "reg.example/a/b:latest", true },
        // ... a digest only the repository.
        { "default", "reg.example/a/b@" + D, "reg.example/a/b:whatever", true },
        { "default", "reg.example/a/b@" + D, "reg.example/other:1", false },
        { "matchRepository", "reg.example/a/b:1", "reg.example/a/b:2", true },
        { "matchRepository", "reg.example/a/b:1", "reg.example/a/c:1", false },
        { "matchExact", "reg.example/a/b:1", "reg.example/a/b:1", true },
        { "matchExact", "reg.example/a/b@" + D, "reg.example/a/b:1", false },
        { "default", "docker.io/library/busybox:1", "busybox:1", true },
        { "default", "reg.example/a/b:1", "NOT A REFERENCE", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signed_identity_rules_match_as_containers_image_does(string rule, string pulled, string claimed, bool accepted)
    {
        SignedIdentity identity = rule switch
        {
            "matchRepository" => new SignedIdentity.MatchRepository(),
            "matchExact" => new SignedIdentity.MatchExact(),
            _ => new SignedIdentity.MatchRepoDigestOrExact(),
        };

        Assert.Equal(accepted, IdentityMatch.Accepts(identity, DockerName.From(RegistryReference.Parse(pulled)), claimed));
    }

    [Fact]
    public void Exact_reference_and_repository_name_the_identity_themselves()
    {
        var pulled = DockerName.From(RegistryReference.Parse("mirror.example/a/b:1"));

        Assert.True(IdentityMatch.Accepts(new SignedIdentity.ExactReference("reg.example/a/b:1"), pulled, "reg.example/a/b:1"));
        Assert.False(IdentityMatch.Accepts(new SignedIdentity.ExactReference("reg.example/a/b:1"), pulled, "mirror.example/a/b:1"));
        Assert.True(IdentityMatch.Accepts(new SignedIdentity.ExactRepository("reg.example/a/b"), pulled, "reg.example/a/b:7"));
    }
}

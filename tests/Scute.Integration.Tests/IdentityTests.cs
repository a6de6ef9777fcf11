using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

[Trait("Category", "Integration")]
public sealed class IdentityTests
{
    [SkippableFact]
    public void Same_manifest_in_two_stores_and_two_folders_gives_the_same_env_id()
    {
        var a = new ScuteSession(TestUser.WithSubIds);
        var b = new ScuteSession(TestUser.WithSubIds);
        a.Write("karapace.toml", Manifests.Karapace);
        b.Write("karapace.toml", Manifests.Karapace);

        var first = a.Scute("--json", "build");
        var second = b.Scute("--json", "build");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        var idA = JsonNode.Parse(first.Stdout)!["env_id"]!.GetValue<string>();
        var idB = JsonNode.Parse(second.Stdout)!["env_id"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{64}$", idA);
        Assert.Equal(idA, idB);
        Assert.NotEqual(a.Store, b.Store);
    }

    [SkippableFact]
    public void A_different_security_context_gives_a_different_env_id()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var strict = s.Build(Manifests.Strict, "a.toml");
        var dev = s.Build(Manifests.Karapace, "b.toml");

        Assert.NotEqual(strict, dev);
        Assert.True(File.Exists(Path.Combine(s.Project, "a.lock")));
        Assert.True(File.Exists(Path.Combine(s.Project, "b.lock")));
    }

    [SkippableFact]
    public void A_changed_manifest_built_under_a_taken_name_points_to_rebuild()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var first = s.Build(Manifests.Strict, name: "web");
        s.Write("scute.toml", Manifests.Strict + "\n[security.capabilities]\nNET_BIND_SERVICE = \"serves HTTP on port 80 to the LAN\"\n");

        var again = s.Scute("build", "--name", "web");

        Assert.Equal(1, again.ExitCode);
        Assert.Contains(first, again.Stderr);
        Assert.Contains("scute rebuild", again.Stderr);
    }
}

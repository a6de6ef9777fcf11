using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

[Trait("Category", "Integration")]
public sealed class DoctorTests
{
    [SkippableFact]
    public void Doctor_finds_user_namespaces_overlayfs_and_unshare_on_this_host()
    {
        var s = new ScuteSession(TestUser.WithSubIds);

        var r = s.Scute("--json", "doctor");

        var checks = JsonNode.Parse(r.Stdout)!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["ok"]!.GetValue<bool>());
        Assert.True(checks["user namespaces"]);
        Assert.True(checks["overlayfs"]);
        Assert.True(checks["unshare"]);
        Assert.Equal(checks.Values.All(v => v) ? 0 : 1, r.ExitCode);
    }
}

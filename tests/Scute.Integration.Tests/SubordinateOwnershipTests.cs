using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// Files written by the environment's user (uid 1001 inside = a subordinate id outside) cannot be
/// deleted by the invoking user directly; destroy still removes them, from inside a user namespace.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SubordinateOwnershipTests
{
    [SkippableFact]
    public void Destroy_removes_files_owned_by_subordinate_ids()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict + "\nreadonly_root = false\n\n[security.overrides]\nreadonly_root = \"the app keeps its cache under /tmp between runs\"\n");
        var write = s.Scute("exec", env, "--", "sh", "-c", "mkdir -p /tmp/private/deep && echo x > /tmp/private/deep/file && chmod 700 /tmp/private && id -u");
        Assert.True(write.ExitCode == 0, write.ToString());
        var upperTmp = Directory.GetDirectories(Path.Combine(s.Store, "env")).Single() + "/upper/tmp/private";
        var owner = TestUser.Run("stat", ["-c", "%u", upperTmp]).Stdout.Trim();
        Assert.NotEqual(s.User.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), owner);

        var destroy = s.Scute("destroy", env);
        var verify = s.Scute("verify-store");

        Assert.True(destroy.ExitCode == 0, destroy.ToString());
        Assert.Empty(Directory.GetDirectories(Path.Combine(s.Store, "env")));
        // Really deleted (from inside a user namespace), not just moved aside into staging.
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(s.Store, "store", "staging")));
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }
}

using System.Globalization;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// Under a writable root, exec takes what the image's layers answer to the account lookup from
/// what build recorded, and reads the environment's upper folder every time: an account the
/// environment gained after the build is the one the next exec runs as.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ExecAccountTests
{
    [SkippableFact]
    public void A_user_added_to_the_environments_passwd_is_used_at_the_next_exec()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("karapace.toml", Manifests.Karapace);
        Assert.Equal(0, s.Scute("build", "--name", "dev").ExitCode);
        var uid = s.User.Uid.ToString(CultureInfo.InvariantCulture);
        var before = s.ScuteIn(s.Root, null, "exec", "dev", "--", "sh", "-c", "whoami; echo $HOME");
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Equal($"{s.User.Name}\n/home/{s.User.Name}", before.Stdout.Trim());

        // What a package's postinst or a user's edit leaves in the environment: its own passwd and group.
        var upper = Path.Combine(Directory.GetDirectories(Path.Combine(s.Store, "env")).Single(), "upper");
        var edit = s.User.RunAs(["sh", "-c", $"mkdir -p {upper}/etc {upper}/home/inside && printf 'root:x:0:0:root:/root:/bin/sh\\ninside:x:{uid}:{uid}:Inside:/home/inside:/bin/sh\\n' > {upper}/etc/passwd "
            + $"&& printf 'root:x:0:\\ninsiders:x:{uid}:\\n' > {upper}/etc/group"]);
        Assert.True(edit.ExitCode == 0, edit.ToString());
        var after = s.ScuteIn(s.Root, null, "exec", "dev", "--", "sh", "-c", "whoami; id -gn; echo $HOME; grep -c . /etc/passwd");

        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Equal("inside\ninsiders\n/home/inside\n2", after.Stdout.Trim());
    }
}

using System.Globalization;
using System.Security.Cryptography;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// Issue 14 on the Debian bookworm base with git installed: the user resolves through glibc's
/// NSS (getent), has the host's shell where Debian has it, and git writes ~/.gitconfig, in the
/// dev profile (a home kept in the environment) and the strict one (a private tmpfs home).
/// </summary>
[Trait("Category", "Integration")]
public sealed class DebianUserInsideTests : IClassFixture<DebianPackagesFixture>
{
    private const string Probe = "whoami; id -un; getent passwd $(id -u); getent group $(id -g) | cut -d: -f1,3; "
        + "echo \"home=$HOME user=$USER logname=$LOGNAME shell=$SHELL tz=$TZ\"; pwd; grep '^Groups:' /proc/self/status; "
        + "git config --global user.name x && cat ~/.gitconfig; sha256sum /etc/localtime | cut -d' ' -f1";

    private readonly DebianPackagesFixture fixture;

    public DebianUserInsideTests(DebianPackagesFixture fixture) => this.fixture = fixture;

    private static string WithWorkspace(bool strict) =>
        PackageInstallTests.Manifest(PackageInstallTests.Alias, strict) + "\n[mounts]\nworkspace = \"./:/workspace\"\n";

    [SkippableFact]
    public void Dev_user_on_debian_is_the_invoking_user_with_bash_and_a_kept_home()
    {
        var s = fixture.Require();
        _ = fixture.Strict; // installs the packages once; this build reuses the layer
        var id = s.Build(WithWorkspace(strict: false), "ddev/scute.toml", name: "ddev");
        var name = s.User.Name;
        var uid = s.User.Uid.ToString(CultureInfo.InvariantCulture);
        var env = new Dictionary<string, string>(s.Environment) { ["SCUTE_STORE"] = s.Store, ["TZ"] = "Europe/Paris" };

        var run = s.User.RunAs([ScuteBinary.Path, "exec", id, "--", "sh", "-c", Probe], Path.Combine(s.Project, "ddev"), env);
        var again = s.ScuteIn(s.Root, null, "exec", id, "--", "sh", "-c", "pwd; cat ~/.gitconfig");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Stdout.Split('\n');
        Assert.Equal([name, name], lines[..2]);
        Assert.Equal($"{name}:x:{uid}:{uid}::/home/{name}:/bin/bash", lines[2]); // the host's shell: Debian has it
        Assert.Equal($"{name}:{uid}", lines[3]);
        Assert.Equal($"home=/home/{name} user={name} logname={name} shell=/bin/bash tz=Europe/Paris", lines[4]);
        Assert.Equal("/workspace", lines[5]);
        Assert.Equal($"Groups:\t{uid}", lines[6].TrimEnd());
        Assert.Equal(["[user]", "\tname = x"], lines[7..9]);
        Assert.Equal(HostLocalTimeSha256(), lines[9]);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal($"/home/{name}\n[user]\n\tname = x", again.Stdout.Trim());
    }

    [SkippableFact]
    public void Enter_on_debian_gives_bash_with_a_prompt_naming_the_user_and_the_environment()
    {
        Skip.IfNot(File.Exists("/usr/bin/script"), "needs script(1) from util-linux (bsdutils)");
        var s = fixture.Require();
        _ = fixture.Strict;
        s.Build(WithWorkspace(strict: false), "ddev/scute.toml", name: "ddev"); // the same environment as the test above
        var enter = $"SCUTE_STORE={s.Store} {string.Join(' ', s.Environment.Select(e => $"{e.Key}={e.Value}"))} {ScuteBinary.Path} enter ddev";

        var r = s.User.RunAs(["script", "-qec", enter, "/dev/null"], Path.Combine(s.Project, "ddev"), stdin: "echo shell=$0 env=$SCUTE_ENV\nexit 0\n");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("shell=/bin/bash env=ddev", r.Stdout, StringComparison.Ordinal);
        // Debian's /etc/bash.bashrc prompt: \u@\h:\w\$ (never "I have no name!").
        Assert.Contains($"{s.User.Name}@ddev:/workspace$", r.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Strict_user_on_debian_is_scute_with_a_private_home()
    {
        var s = fixture.Require();
        _ = fixture.Strict;
        var id = s.Build(WithWorkspace(strict: true), "dstrict/scute.toml");
        var env = new Dictionary<string, string>(s.Environment) { ["SCUTE_STORE"] = s.Store, ["TZ"] = "Europe/Paris" };

        var run = s.User.RunAs([ScuteBinary.Path, "exec", id, "--", "sh", "-c", Probe], Path.Combine(s.Project, "dstrict"), env);
        var outside = s.ScuteIn(s.Root, null, "exec", id, "--", "sh", "-c", "pwd; test -e ~/.gitconfig || echo fresh; touch /etc/x 2>&1 || true");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Stdout.Split('\n');
        Assert.Equal(["scute", "scute"], lines[..2]);
        Assert.Equal("scute:x:1001:1001:Scute:/home/scute:/bin/bash", lines[2]); // Debian root's shell
        Assert.Equal("scute:1001", lines[3]);
        Assert.Equal("home=/home/scute user=scute logname=scute shell=/bin/bash tz=Europe/Paris", lines[4]);
        Assert.Equal("/workspace", lines[5]);
        Assert.Equal("Groups:", lines[6].TrimEnd());
        Assert.Equal(["[user]", "\tname = x"], lines[7..9]);
        Assert.Equal(HostLocalTimeSha256(), lines[9]);
        Assert.True(outside.ExitCode == 0, outside.ToString());
        var rest = outside.Stdout.Split('\n');
        Assert.Equal(["/home/scute", "fresh"], rest[..2]);
        Assert.Contains("Read-only file system", rest[2], StringComparison.Ordinal);
        foreach (var passwd in Directory.GetFiles(Path.Combine(s.Store, "images"), "passwd", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("scute", File.ReadAllText(passwd), StringComparison.Ordinal);
        }
    }

    private static string HostLocalTimeSha256() =>
        Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes("/etc/localtime")));
}

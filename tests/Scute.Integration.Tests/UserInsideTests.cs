using System.Globalization;
using System.Security.Cryptography;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// Issue 14 on the builtin busybox (an Alpine-style base: its /etc/passwd has root and nobody
/// only): the user has a name, a writable home, starts in the workspace or the home, and sees
/// the host's time zone, in both profiles; the image in the store is left as it was.
/// </summary>
[Trait("Category", "Integration")]
public sealed class UserInsideTests
{
    private const string Probe = "whoami; id -un; id -gn; echo \"home=$HOME user=$USER logname=$LOGNAME shell=$SHELL tz=$TZ\"; pwd; grep '^Groups:' /proc/self/status; "
        + "grep \"^$(id -un):\" /etc/passwd; echo note > ~/note && cat ~/note; sha256sum /etc/localtime";

    [SkippableFact]
    public void Dev_user_is_the_invoking_user_with_a_home_kept_in_the_environment()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Environment["TZ"] = "Europe/Paris";
        s.Write("karapace.toml", Manifests.Karapace);
        s.Write("src/lib/keep", "");
        Assert.Equal(0, s.Scute("build", "--name", "dev").ExitCode);
        var name = s.User.Name;
        var uid = s.User.Uid.ToString(CultureInfo.InvariantCulture);

        var run = s.ScuteIn(Path.Combine(s.Project, "src", "lib"), null, "exec", "dev", "--", "sh", "-c", Probe);
        var again = s.ScuteIn(s.Root, null, "exec", "dev", "--", "sh", "-c", "pwd; cat ~/note");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Stdout.Split('\n');
        Assert.Equal(name, lines[0]);
        Assert.Equal(name, lines[1]);
        Assert.Equal(name, lines[2]); // the host's group name for the gid
        // The host's shell (/bin/bash) is not in busybox: the image's default shell instead.
        Assert.Equal($"home=/home/{name} user={name} logname={name} shell=/bin/sh tz=Europe/Paris", lines[3]);
        Assert.Equal("/workspace/src/lib", lines[4]);
        Assert.Equal($"Groups:\t{uid}", lines[5].TrimEnd()); // the user's own group only
        Assert.Equal($"{name}:x:{uid}:{uid}::/home/{name}:/bin/sh", lines[6]);
        Assert.Equal("note", lines[7]);
        Assert.StartsWith(HostLocalTimeSha256(), lines[8], StringComparison.Ordinal);
        // Outside every mount source: the home, and what was written there is still there.
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal($"/home/{name}\nnote", again.Stdout.Trim());
        // The home is the environment's state (its upper layer, so diff and snapshots have it), owned by the user.
        var upper = Directory.GetDirectories(Path.Combine(s.Store, "env")).Single();
        Assert.Equal(uid, TestUser.Run("stat", ["-c", "%u", Path.Combine(upper, "upper", "home", name, "note")]).Stdout.Trim());
        ImageAccountsUnchanged(s, name);
    }

    [SkippableFact]
    public void Strict_user_is_scute_with_a_private_home_under_the_read_only_root()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Environment["TZ"] = "Europe/Paris";
        s.Build(Manifests.StrictWithWorkspace, name: "app");

        var run = s.ScuteIn(s.Root, null, "exec", "app", "--", "sh", "-c", Probe + "; touch /etc/x 2>&1 || true");
        var again = s.Scute("exec", "app", "--", "sh", "-c", "pwd; cat ~/note 2>/dev/null || echo gone");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Stdout.Split('\n');
        Assert.Equal(["scute", "scute", "scute"], lines[..3]);
        Assert.Equal("home=/home/scute user=scute logname=scute shell=/bin/sh tz=Europe/Paris", lines[3]);
        Assert.Equal("/home/scute", lines[4]); // started outside the workspace: the home
        Assert.Equal("Groups:", lines[5].TrimEnd()); // setgroups cleared them
        Assert.Equal("scute:x:1001:1001:Scute:/home/scute:/bin/sh", lines[6]);
        Assert.Equal("note", lines[7]);
        Assert.StartsWith(HostLocalTimeSha256(), lines[8], StringComparison.Ordinal);
        Assert.Contains("Read-only file system", lines[9], StringComparison.Ordinal);
        // From the project folder: the workspace; the home was a tmpfs of the last run only.
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal("/workspace\ngone", again.Stdout.Trim());
        ImageAccountsUnchanged(s, "scute");
    }

    [SkippableFact]
    public void A_mount_below_the_private_home_stays_visible()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("cache/x", "cached\n");
        s.Build(Manifests.Strict.Replace("[runtime]", "[mounts]\ncache = \"./cache:/home/scute/.cache\"\n\n[runtime]", StringComparison.Ordinal), name: "app");

        var r = s.Scute("exec", "app", "--", "sh", "-c", "cat ~/.cache/x; touch ~/y && echo writable");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("cached\nwritable", r.Stdout.Trim());
    }

    [SkippableFact]
    public void Strict_with_a_writable_root_keeps_the_home_in_the_environment()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Build(Manifests.Strict + "\nreadonly_root = false\n\n[security.overrides]\nreadonly_root = \"the tool keeps its state under its home and cannot be configured otherwise\"\n", name: "app");

        var write = s.Scute("exec", "app", "--", "sh", "-c", "ls -ld ~ | cut -c1-10; stat -c %U ~; echo kept > ~/state");
        var read = s.Scute("exec", "app", "--", "cat", "/home/scute/state");

        Assert.True(write.ExitCode == 0, write.ToString());
        Assert.Equal("drwx------\nscute", write.Stdout.Trim());
        Assert.Equal("kept", read.Stdout.Trim());
    }

    [SkippableFact]
    public void Supplementary_groups_of_the_caller_do_not_reach_a_strict_environment()
    {
        Skip.IfNot(TestUser.RunningAsRoot, "giving the caller an extra group needs root (setpriv)");
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Build(Manifests.Strict, name: "app");
        var uid = s.User.Uid.ToString(CultureInfo.InvariantCulture);
        // Not runuser: it would set the account's own groups again.
        string[] asMember = ["setpriv", $"--reuid={uid}", $"--regid={uid}", $"--groups={uid},100,4", "env", "-i", $"HOME={s.User.Home}", "PATH=/usr/bin:/bin", $"SCUTE_STORE={s.Store}"];

        var outside = TestUser.Run(asMember[0], [.. asMember[1..], "sh", "-c", "grep '^Groups:' /proc/self/status"]);
        var inside = TestUser.Run(asMember[0], [.. asMember[1..], ScuteBinary.Path, "exec", "app", "--", "grep", "^Groups:", "/proc/self/status"], s.Project);

        Assert.Contains("100", outside.Stdout, StringComparison.Ordinal); // the caller really has them
        Assert.True(inside.ExitCode == 0, inside.ToString());
        Assert.Equal("Groups:", inside.Stdout.Trim());
    }

    [SkippableFact]
    public void A_workdir_that_does_not_exist_inside_is_125_in_one_line()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Build(Manifests.Strict, name: "app");

        var r = s.Scute("exec", "--workdir", "/no/such/folder", "app", "--", "true");
        var ok = s.Scute("exec", "--workdir", "/tmp", "app", "--", "pwd");

        Assert.Equal(125, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("/no/such/folder", line, StringComparison.Ordinal);
        Assert.Equal("/tmp", ok.Stdout.Trim());
    }

    [SkippableFact]
    public void An_image_without_etc_gets_its_files_in_the_upper_layer_only()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var rootfs = Path.Combine(s.Root, "bare");
        Assert.Equal(0, s.User.RunAs(["sh", "-c", $"mkdir -p {rootfs}/bin && cp /bin/busybox {rootfs}/bin/ && ln -s busybox {rootfs}/bin/sh"]).ExitCode);
        s.Build(Manifests.WithImage(rootfs).Replace("profile = \"strict\"", "profile = \"strict\"\nuser = 1001\ngroup = 1001", StringComparison.Ordinal), name: "bare");

        var r = s.Scute("exec", "bare", "--", "/bin/busybox", "sh", "-c", "/bin/busybox whoami; /bin/busybox cat /etc/passwd");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("scute\nroot:x:0:0:root:/root:/bin/sh\nscute:x:1001:1001:Scute:/home/scute:/bin/sh", r.Stdout.Trim());
        Assert.False(File.Exists(Path.Combine(rootfs, "etc", "passwd")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(s.Store, "images"), "etc", SearchOption.AllDirectories));
    }

    [SkippableFact]
    public void Symlinks_at_passwd_and_localtime_are_covered_never_followed_out_of_the_root()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var rootfs = Path.Combine(s.Root, "linked");
        var bait = Path.Combine(s.Root, "bait");
        Assert.Equal(0, s.User.RunAs(["sh", "-c", $"mkdir -p {rootfs}/bin {rootfs}/etc && cp /bin/busybox {rootfs}/bin/ && ln -s busybox {rootfs}/bin/sh "
            + $"&& echo host-file > {bait} && ln -s {bait} {rootfs}/etc/passwd && ln -s {bait} {rootfs}/etc/localtime && ln -s {bait} {rootfs}/etc/group"]).ExitCode);
        s.Build(Manifests.WithImage(rootfs).Replace("profile = \"strict\"", "profile = \"strict\"\nuser = 1001\ngroup = 1001", StringComparison.Ordinal), name: "linked");

        var r = s.Scute("exec", "linked", "--", "/bin/busybox", "sh", "-c", "/bin/busybox whoami; /bin/busybox cat /etc/passwd; /bin/busybox sha256sum /etc/localtime; /bin/busybox readlink /etc/passwd || echo covered");

        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n');
        Assert.Equal(["scute", "root:x:0:0:root:/root:/bin/sh", "scute:x:1001:1001:Scute:/home/scute:/bin/sh"], lines[..3]);
        Assert.StartsWith(HostLocalTimeSha256(), lines[3], StringComparison.Ordinal);
        Assert.Equal("covered", lines[4]); // the path is the mounted file now, not the link
        Assert.Equal("host-file\n", File.ReadAllText(bait));
    }

    [SkippableFact]
    public void An_etc_that_is_a_symlink_is_refused_in_one_line()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var rootfs = Path.Combine(s.Root, "etclink");
        Assert.Equal(0, s.User.RunAs(["sh", "-c", $"mkdir -p {rootfs}/bin {s.Root}/elsewhere && cp /bin/busybox {rootfs}/bin/ && ln -s busybox {rootfs}/bin/sh && ln -s {s.Root}/elsewhere {rootfs}/etc"]).ExitCode);
        s.Build(Manifests.WithImage(rootfs).Replace("profile = \"strict\"", "profile = \"strict\"\nuser = 1001\ngroup = 1001", StringComparison.Ordinal), name: "etclink");

        var r = s.Scute("exec", "etclink", "--", "/bin/busybox", "true");

        Assert.Equal(125, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("/etc/passwd", line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(s.Root, "elsewhere")));
    }

    [SkippableFact]
    public void Strict_user_without_subordinate_ids_is_named_and_has_a_home_too()
    {
        var s = new ScuteSession(TestUser.WithoutSubIds);
        s.Build(Manifests.Strict, name: "app");

        var r = s.Scute("exec", "app", "--", "sh", "-c", "whoami; echo $HOME; pwd; touch ~/x && echo writable");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("scute\n/home/scute\n/home/scute\nwritable", r.Stdout.Trim());
    }

    private static string HostLocalTimeSha256() =>
        Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes("/etc/localtime")));

    /// <summary>The image's own files in the store never get the user's entry.</summary>
    private static void ImageAccountsUnchanged(ScuteSession s, string name)
    {
        foreach (var passwd in Directory.GetFiles(Path.Combine(s.Store, "images"), "passwd", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(name + ":", File.ReadAllText(passwd), StringComparison.Ordinal);
        }

        foreach (var env in Directory.GetDirectories(Path.Combine(s.Store, "env")))
        {
            Assert.False(File.Exists(Path.Combine(env, "upper", "etc", "passwd")));
        }
    }
}

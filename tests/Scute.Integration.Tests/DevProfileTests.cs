using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>A Karapace manifest (no [security]): dev profile, own uid, workspace mounted, changes kept.</summary>
[Trait("Category", "Integration")]
public sealed class DevProfileTests
{
    public static TheoryData<string> Users => new() { "scute-test", "scute-nosub" };

    [SkippableTheory]
    [MemberData(nameof(Users))]
    public void Karapace_manifest_builds_as_dev_and_keeps_the_workspace_owner(string user)
    {
        var s = new ScuteSession(user == "scute-test" ? TestUser.WithSubIds : TestUser.WithoutSubIds);
        s.Write("karapace.toml", Manifests.Karapace);
        s.Write("hello.txt", "from the host\n");

        var build = s.Scute("build", "--name", "dev");
        var run = s.Scute("exec", "dev", "--", "sh", "-c", "id -u; cat /workspace/hello.txt; echo made-inside > /workspace/out.txt");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("dev profile", build.Stderr);
        Assert.Single(build.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(File.Exists(Path.Combine(s.Project, "karapace.lock")));
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Stdout.Split('\n');
        Assert.Equal(s.User.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), lines[0]);
        Assert.Equal("from the host", lines[1]);
        var owner = TestUser.Run("stat", ["-c", "%u", Path.Combine(s.Project, "out.txt")]);
        Assert.Equal(s.User.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), owner.Stdout.Trim());
    }

    [SkippableTheory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Workspace_files_made_inside_belong_to_the_user(string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("karapace.toml", Backends.Use(Manifests.Karapace, backend));
        s.Write("hello.txt", "from the host\n");
        Assert.Equal(0, s.Scute("build", "--name", "dev").ExitCode);

        var run = s.Scute("exec", "dev", "--", "sh", "-c", "id -u; cat /workspace/hello.txt; echo made-inside > /workspace/out.txt");

        Assert.True(run.ExitCode == 0, run.ToString());
        var uid = s.User.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([uid, "from the host"], run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(uid, TestUser.Run("stat", ["-c", "%u", Path.Combine(s.Project, "out.txt")]).Stdout.Trim());
    }

    [SkippableTheory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Root_is_writable_and_changes_persist_between_runs(string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("karapace.toml", Backends.Use(Manifests.Karapace, backend));
        Assert.Equal(0, s.Scute("build", "--name", "dev").ExitCode);

        var write = s.Scute("exec", "dev", "--", "sh", "-c", "echo kept > /etc/scute-note");
        var read = s.Scute("exec", "dev", "--", "cat", "/etc/scute-note");

        Assert.True(write.ExitCode == 0, write.ToString());
        Assert.Equal("kept", read.Stdout.Trim());
    }

    [SkippableFact]
    public void Fuse_overlayfs_fallback_gives_the_same_environment()
    {
        Skip.IfNot(File.Exists("/usr/bin/fuse-overlayfs"), "needs fuse-overlayfs (package fuse-overlayfs)");
        Skip.IfNot(File.Exists("/dev/fuse"), "needs /dev/fuse");
        var s = new ScuteSession(TestUser.WithSubIds);
        Skip.If(s.User.RunAs(["test", "-r", "/dev/fuse", "-a", "-w", "/dev/fuse"]).ExitCode != 0,
            $"/dev/fuse is not readable and writable by {s.User.Name} on this host (Debian's udev makes it 0666; here it is not)");
        s.Write("karapace.toml", Manifests.Karapace);
        Assert.Equal(0, s.Scute("build", "--name", "dev").ExitCode);
        var env = new Dictionary<string, string> { ["SCUTE_STORE"] = s.Store, ["SCUTE_OVERLAY"] = "fuse" };

        var write = s.User.RunAs([ScuteBinary.Path, "exec", "dev", "--", "sh", "-c", "grep ' / ' /proc/mounts; echo via-fuse > /etc/note"], s.Project, env);
        var read = s.Scute("exec", "dev", "--", "cat", "/etc/note");

        Assert.True(write.ExitCode == 0, write.ToString());
        Assert.Contains("fuse", write.Stdout);
        Assert.Equal("via-fuse", read.Stdout.Trim());
    }
}

using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>DESIGN §2.4: mount sources resolved with symlinks followed, checked at build and again at run time; targets never leave the root.</summary>
[Trait("Category", "Integration")]
public sealed class MountSafetyTests
{
    private const string WithDataMount = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        [mounts]
        data = "./data:/data"

        [security]
        profile = "strict"
        """;

    [SkippableFact]
    public void A_symlinked_source_pointing_outside_is_refused_at_build()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        Assert.Equal(0, s.User.RunAs(["ln", "-s", "/etc", "data"], s.Project).ExitCode);
        s.Write("scute.toml", WithDataMount);

        var r = s.Scute("build");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("mounts.data", r.Stderr);
        Assert.Contains("/etc", r.Stderr);
    }

    [SkippableFact]
    public void A_source_swapped_for_a_symlink_after_build_is_refused_at_run_time()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        Assert.Equal(0, s.User.RunAs(["sh", "-c", "mkdir -p real && echo inside > real/file && ln -s real data"], s.Project).ExitCode);
        var env = s.Build(WithDataMount);
        var before = s.Scute("exec", env, "--", "cat", "/data/file");

        Assert.Equal(0, s.User.RunAs(["sh", "-c", "rm data && ln -s /etc data"], s.Project).ExitCode);
        var after = s.Scute("exec", env, "--", "cat", "/data/passwd");

        Assert.Equal("inside", before.Stdout.Trim());
        Assert.Equal(125, after.ExitCode);
        Assert.Contains("outside the allowed folders", after.Stderr);
        Assert.DoesNotContain("root:", after.Stdout);
    }

    [SkippableFact]
    public void A_mount_target_through_a_symlink_in_the_image_is_refused()
    {
        Skip.IfNot(File.Exists("/bin/busybox"), "needs /bin/busybox (busybox-static)");
        var s = new ScuteSession(TestUser.WithSubIds);
        Assert.Equal(0, s.User.RunAs(["sh", "-c", "mkdir -p img/bin shared && cp /bin/busybox img/bin/ && ln -s busybox img/bin/sh && ln -s busybox img/bin/cat && ln -s /etc img/data"], s.Project).ExitCode);
        var env = s.Build("""
            manifest_version = 1

            [base]
            image = "./img"

            [mounts]
            shared = "./shared:/data/x"

            [security]
            profile = "strict"
            """);

        var r = s.Scute("exec", env, "--", "true");

        Assert.Equal(125, r.ExitCode);
        Assert.Contains("symlink", r.Stderr);
    }
}

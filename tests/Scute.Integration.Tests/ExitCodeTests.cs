using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>DESIGN §6 and §7 exit codes, through the real binary.</summary>
[Trait("Category", "Integration")]
public sealed class ExitCodeTests
{
    [SkippableFact]
    public void Missing_command_is_127_and_non_executable_is_126()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict);

        var missing = s.Scute("exec", env, "--", "no-such-command");
        var notExecutable = s.Scute("exec", env, "--", "/etc/passwd");

        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("no-such-command", missing.Stderr);
        Assert.Equal(126, notExecutable.ExitCode);
    }

    [SkippableFact]
    public void Unknown_environment_is_125_for_exec_and_1_for_inspect()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Build(Manifests.Strict);

        var exec = s.Scute("exec", "nope", "--", "true");
        var inspect = s.Scute("inspect", "nope");

        Assert.Equal(125, exec.ExitCode);
        Assert.Equal(1, inspect.ExitCode);
        Assert.StartsWith("scute: no environment 'nope'", exec.Stderr);
    }

    [SkippableTheory]
    [InlineData("manifest_version = 1\n[base]\nimage = \"builtin:busybox\"\nbogus = 1\n", "bogus")]
    [InlineData("manifest_version = 1\n[base\n", "scute.toml")]
    [InlineData("manifest_version = 2\n[base]\nimage = \"builtin:busybox\"\n", "manifest_version")]
    [InlineData("manifest_version = 1\n[base]\nimage = \"builtin:nope\"\n", "builtin")]
    [InlineData("manifest_version = 1\n[base]\nimage = \"builtin:busybox\"\n[security]\nuser = 0\n", "security.user")]
    public void Bad_manifest_is_exit_2_with_one_line_and_no_stack_trace(string manifest, string mentioned)
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("scute.toml", manifest);

        var r = s.Scute("build");

        Assert.Equal(2, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("scute: ", lines[0]);
        Assert.Contains(mentioned, lines[0]);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(s.Store, "store", "metadata")) && Directory.EnumerateFiles(Path.Combine(s.Store, "store", "metadata")).Any());
    }

    [SkippableFact]
    public void No_manifest_in_the_folder_is_exit_2()
    {
        var s = new ScuteSession(TestUser.WithSubIds);

        var r = s.Scute("build");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("karapace.toml", r.Stderr);
    }

    [SkippableFact]
    public void An_unreadable_manifest_is_exit_2_naming_the_file()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var path = s.Write("scute.toml", Manifests.Strict);
        Assert.Equal(0, s.User.RunAs(["chmod", "000", path]).ExitCode);

        var r = s.Scute("build");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("scute.toml", r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [SkippableFact]
    public void A_bad_custom_seccomp_profile_is_refused_at_build()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("bad.json", "{\"defaultAction\": \"SCMP_ACT_NOPE\"}");
        s.Write("scute.toml", Manifests.Strict + "\nseccomp = \"./bad.json\"\n\n[security.overrides]\nseccomp = \"our own profile allows exactly what the app needs\"\n");

        var r = s.Scute("build");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("security.seccomp", r.Stderr);
        Assert.Contains("bad.json", r.Stderr);
    }
}

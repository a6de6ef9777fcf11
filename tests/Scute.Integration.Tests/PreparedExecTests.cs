using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// Build prepares what exec needs (env/&lt;id&gt;/exec.prepared); exec, as scute-test with the real
/// binary, still honours a host policy that changed after the build, and refuses a damaged
/// prepared file in one line that names it and the remedy. The user's policy file
/// ($XDG_CONFIG_HOME/scute/policy.toml) stands for the host's: it may only tighten.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PreparedExecTests
{
    private const string WithSharedMount = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        [mounts]
        shared = "../shared:/shared:ro"

        [security]
        profile = "strict"
        """;

    private static ScuteSession Session()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        Assert.Equal(0, s.User.RunAs(["sh", "-c", "mkdir -p ../shared ../config/scute && echo inside > ../shared/file"], s.Project).ExitCode);
        s.Environment["XDG_CONFIG_HOME"] = Path.Combine(s.Root, "config");
        return s;
    }

    private static string PreparedFile(ScuteSession s) =>
        Path.Combine(Assert.Single(Directory.GetDirectories(Path.Combine(s.Store, "env"))), "exec.prepared");

    [SkippableFact]
    public void A_mount_source_the_host_policy_denies_after_the_build_is_refused_at_the_next_exec()
    {
        var s = Session();
        var env = s.Build(WithSharedMount);
        var before = s.Scute("exec", env, "--", "cat", "/shared/file");

        // Only the manifest's own folder stays allowed: ../shared is now outside.
        s.User.RunAs(["sh", "-c", "printf '[mounts]\\nallowed_prefixes = [\"/nonexistent\"]\\n' > ../config/scute/policy.toml"], s.Project);
        var after = s.Scute("exec", env, "--", "cat", "/shared/file");

        Assert.True(File.Exists(PreparedFile(s)));
        Assert.Equal("inside", before.Stdout.Trim());
        Assert.Equal(125, after.ExitCode);
        Assert.Contains("outside the allowed folders", after.Stderr);
        Assert.DoesNotContain("inside", after.Stdout);
    }

    [SkippableFact]
    public void A_tampered_prepared_file_is_refused_in_one_line_and_rebuild_repairs_it()
    {
        var s = Session();
        var env = s.Build(WithSharedMount);
        var file = PreparedFile(s);
        // Make the shared mount writable: exactly what a damaged or edited file must never do.
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"read_only\":true", "\"read_only\":false", StringComparison.Ordinal));

        var refused = s.Scute("exec", env, "--", "sh", "-c", "echo changed > /shared/file");
        var rebuilt = s.Scute("rebuild");
        var again = s.Scute("exec", env, "--", "cat", "/shared/file");

        Assert.Equal(125, refused.ExitCode);
        var line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(file, line);
        Assert.Contains("scute rebuild", line);
        Assert.Equal("inside", File.ReadAllText(Path.Combine(s.Root, "shared", "file")).Trim());
        Assert.Equal(0, rebuilt.ExitCode);
        Assert.Equal("inside", again.Stdout.Trim());
    }
}

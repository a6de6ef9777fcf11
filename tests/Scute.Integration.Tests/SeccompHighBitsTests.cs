using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// DESIGN §2.4 "seccomp compares 32-bit arguments on their low 32 bits", from inside: the
/// seccomp_probe attack program (tests/attacks/seccomp_probe.c) makes raw syscalls with garbage
/// in the high half of 32-bit arguments, which the kernel drops, and prints each errno.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SeccompHighBitsTests
{
    private const string Probe = "seccomp_probe";

    /// <summary>The namespace backend as each user; every other probed backend as the user with subordinate ids.</summary>
    public static TheoryData<string, string> UsersAndBackends
    {
        get
        {
            var data = new TheoryData<string, string> { { "scute-test", "namespace" }, { "scute-nosub", "namespace" } };
            foreach (var backend in Backends.Probed.Where(b => b != "namespace"))
            {
                data.Add("scute-test", backend);
            }

            return data;
        }
    }

    private static TestUser UserNamed(string name) => name == "scute-test" ? TestUser.WithSubIds : TestUser.WithoutSubIds;

    /// <summary>Strict with no seccomp filter: the control run.</summary>
    private static readonly string StrictUnconfined = Manifests.StrictWithWorkspace + """

        seccomp = "unconfined"

        [security.overrides]
        seccomp = "the control run of the seccomp probe shows what the calls do without a filter"
        """;

    /// <summary>
    /// What each call must give under the default profile: EPERM for the denied ones whatever
    /// their high bits; for the rest what the kernel does with the low 32 bits it reads (TCGETS
    /// on a stdin that is no terminal is ENOTTY: the ioctl got through the filter).
    /// </summary>
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["socket_vsock"] = "EPERM",
        ["socket_vsock_high"] = "EPERM",
        ["socket_inet_high"] = "OK",
        ["socket_unix_high"] = "OK",
        ["ioctl_tiocsti"] = "EPERM",
        ["ioctl_tiocsti_high"] = "EPERM",
        ["ioctl_tioclinux"] = "EPERM",
        ["ioctl_tioclinux_high"] = "EPERM",
        ["ioctl_tcgets_high"] = "ENOTTY",
        ["clone_newuser_high"] = "EPERM",
        ["clone_fork_high"] = "OK",
        ["personality_no_randomize_high"] = "EPERM",
        ["personality_linux_high"] = "OK",
    };

    [SkippableTheory]
    [MemberData(nameof(UsersAndBackends))]
    public void A_strict_environment_denies_the_calls_whatever_their_high_bits(string user, string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(UserNamed(user));
        AttackProgram.CopyInto(s, Probe);
        var env = s.Build(Backends.Use(Manifests.StrictWithWorkspace, backend));

        AssertAsExpected(Run(s, env));
    }

    [SkippableTheory]
    [MemberData(nameof(UsersAndBackends))]
    public void A_dev_environment_denies_the_calls_whatever_their_high_bits(string user, string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(UserNamed(user));
        AttackProgram.CopyInto(s, Probe);
        var env = s.Build(Backends.Use(Manifests.Karapace, backend), "karapace.toml");

        AssertAsExpected(Run(s, env));
    }

    [SkippableFact]
    public void Without_the_filter_the_terminal_ioctls_fail_only_because_stdin_is_no_terminal()
    {
        // The control for the EPERM above: the same calls unconfined fail with ENOTTY.
        var s = new ScuteSession(TestUser.WithSubIds);
        AttackProgram.CopyInto(s, Probe);
        var env = s.Build(StrictUnconfined);

        var seen = Run(s, env);

        Assert.Equal("ENOTTY", seen["ioctl_tiocsti"]);
        Assert.Equal("ENOTTY", seen["ioctl_tiocsti_high"]);
        Assert.Equal("ENOTTY", seen["ioctl_tioclinux_high"]);
    }

    /// <summary>Runs the probe in the environment; returns each call's result by name.</summary>
    private static Dictionary<string, string> Run(ScuteSession s, string env)
    {
        var r = s.Scute("exec", env, "--", "/workspace/" + Probe);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .ToDictionary(parts => parts[0], parts => parts[1]);
    }

    private static void AssertAsExpected(Dictionary<string, string> seen)
    {
        var wrong = Expected
            .Where(e => seen.GetValueOrDefault(e.Key) != e.Value)
            .Select(e => $"{e.Key}: {seen.GetValueOrDefault(e.Key) ?? "not run"}, expected {e.Value}")
            .ToList();

        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
    }
}

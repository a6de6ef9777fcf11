using System.Diagnostics;
using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// The process boundary of DESIGN 2.4, attacked from inside with the static programs under
/// tests/attacks, in the strict and dev profiles, as the non-root test user: the caller's
/// terminal, the caller's descriptors, processes outliving scute, writable mounts under /sys.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class ProcessBoundaryTests
{
    /// <summary>Strict with no seccomp filter: the session boundary alone must hold.</summary>
    private static readonly string StrictUnconfined = Manifests.StrictWithWorkspace + """

        seccomp = "unconfined"

        [security.overrides]
        seccomp = "the test shows the terminal boundary holds without the filter"
        """;

    /// <summary>Each probed backend with the strict, dev and strict-unconfined manifests.</summary>
    public static TheoryData<string, string> Profiles
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var backend in Backends.Probed)
            {
                foreach (var profile in new[] { "strict", "dev", "strict-unconfined" })
                {
                    data.Add(backend, profile);
                }
            }

            return data;
        }
    }

    private static string ManifestFor(string profile, string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        return Backends.Use(profile switch
        {
            "strict" => Manifests.StrictWithWorkspace,
            "dev" => Manifests.Karapace,
            _ => StrictUnconfined,
        }, backend);
    }

    private static Dictionary<string, string> StoreVariable(ScuteSession s) => new() { ["SCUTE_STORE"] = s.Store };

    [SkippableTheory]
    [MemberData(nameof(Profiles))]
    public void A_contained_process_cannot_type_into_the_callers_shell(string backend, string profile)
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(ManifestFor(profile, backend));
        AttackProgram.CopyInto(s, "tty_inject");
        var control = Path.Combine(s.Root, "control");
        var marker = Path.Combine(s.Root, "injected");

        using var shell = new InteractiveShell(s.User, s.Project, StoreVariable(s));
        // The same attack run straight from the shell shows the harness sees an injection.
        shell.Type($"{AttackProgram.PathOf("tty_inject")} 'touch {control}'; echo control-$((40+2))", until: "control-42");
        shell.Type("sleep 1; echo settled-$((1+1))", until: "settled-2");
        Skip.IfNot(File.Exists(control), $"this kernel refuses TIOCSTI to everyone (dev.tty.legacy_tiocsti=0), so the attack cannot be shown: {shell.Screen}");

        shell.Type($"{ScuteBinary.Path} exec {env} -- /workspace/tty_inject 'touch {marker}'; echo attack-$((40+2))", until: "attack-42");
        shell.Type("sleep 1; echo after-$((1+1))", until: "after-2");
        shell.Exit();

        Assert.False(File.Exists(marker), $"the contained process typed into the caller's shell:\n{shell.Screen}");
        // What the contained attack printed: everything after the control run settled.
        var attack = shell.Screen[shell.Screen.LastIndexOf("settled-2", StringComparison.Ordinal)..];
        Assert.False(attack.Contains("INJECTED", StringComparison.Ordinal), attack);
        Assert.True(attack.Contains("/dev/tty: open: No such device or address", StringComparison.Ordinal), attack); // ENXIO: no controlling terminal
        // Refused: the caller's terminal is not the command's controlling terminal (EPERM), or,
        // under podman, whose conmon relays the streams, stdin is no terminal at all (ENOTTY).
        Assert.True(
            attack.Contains("stdin: Operation not permitted", StringComparison.Ordinal) || attack.Contains("stdin: Inappropriate ioctl for device", StringComparison.Ordinal),
            attack);
    }

    [SkippableTheory]
    [MemberData(nameof(Backends.WithProfiles), MemberType = typeof(Backends))]
    public void No_descriptor_the_caller_left_open_reaches_the_command(string backend, string profile)
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(ManifestFor(profile, backend));
        AttackProgram.CopyInto(s, "fd_probe");
        var file = s.Write("held-open.txt", "secret");

        var r = s.User.RunAs(
            ["sh", "-c", $"exec 7<{s.User.Home} 8<>{file} 9</; exec {ScuteBinary.Path} exec {env} -- /workspace/fd_probe"],
            s.Project,
            StoreVariable(s));

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("no descriptors above 2", r.Stdout.Trim());
    }

    [SkippableTheory]
    [MemberData(nameof(Backends.WithProfiles), MemberType = typeof(Backends))]
    public void No_descriptor_reaches_a_command_on_its_own_terminal(string backend, string profile)
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(ManifestFor(profile, backend));
        AttackProgram.CopyInto(s, "fd_probe");

        using var shell = new InteractiveShell(s.User, s.Project, StoreVariable(s));
        shell.Type($"(exec 7<{s.User.Home} 9</; {ScuteBinary.Path} exec -t {env} -- /workspace/fd_probe; echo status-$?-$((40+2)))", until: "-42");
        shell.Exit();

        Assert.Contains("no descriptors above 2", shell.Screen);
        Assert.Contains("status-0-42", shell.Screen);
        Assert.DoesNotContain("fd 7", shell.Screen);
    }

    [SkippableTheory]
    [MemberData(nameof(Backends.WithProfiles), MemberType = typeof(Backends))]
    public void The_environments_processes_die_with_the_scute_process_that_started_them(string backend, string profile)
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(ManifestFor(profile, backend));
        // A duration no other test uses, to find the command wherever it runs: under podman it is
        // below conmon, outside scute's process tree.
        var sleep = $"sleep {Random.Shared.Next(1_000_000, 9_999_999)}";
        using var bg = BackgroundScute.Start(s.User, s.Project, s.Store, ["exec", env, "--", .. sleep.Split(' ')]);

        var clock = Stopwatch.StartNew();
        int[] inside;
        while (true)
        {
            inside = [.. AllProcesses().Where(p => CommandLine(p) == sleep)];
            if (inside.Length > 0)
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the command never started");
            Thread.Sleep(20);
        }

        var scute = BackgroundScute.Tree(bg.Pid).Single(p => CommandLine(p).StartsWith(ScuteBinary.Path + " exec", StringComparison.Ordinal));
        var below = BackgroundScute.Tree(scute).Where(p => p != scute).Union(inside).ToList();
        Assert.Equal("running", State(s, env));

        Assert.Equal(0, Kill(scute, 9));
        clock.Restart();
        while (below.Any(BackgroundScute.Alive) && clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            Thread.Sleep(10);
        }

        var survivors = below.Where(BackgroundScute.Alive).Select(p => $"{p} {CommandLine(p)}").ToList();
        Assert.True(survivors.Count == 0, $"alive a second after kill -9 of scute: {string.Join("; ", survivors)}");
        Assert.Equal("built", State(s, env));
    }

    [SkippableTheory]
    [MemberData(nameof(Backends.WithProfiles), MemberType = typeof(Backends))]
    public void Every_mount_under_sys_and_proc_sys_is_read_only(string backend, string profile)
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(ManifestFor(profile, backend));

        var r = s.Scute("exec", env, "--", "cat", "/proc/self/mountinfo");

        Assert.True(r.ExitCode == 0, r.ToString());
        var kernel = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .Where(f => f[4] == "/sys" || f[4].StartsWith("/sys/", StringComparison.Ordinal) || f[4] == "/proc/sys" || f[4].StartsWith("/proc/sys/", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(kernel, f => f[4] == "/sys");
        Assert.Contains(kernel, f => f[4] == "/proc/sys");
        var writable = kernel.Where(f => !f[5].Split(',').Contains("ro")).Select(f => $"{f[4]} {f[5]}").ToList();
        Assert.True(writable.Count == 0, "writable inside: " + string.Join("; ", writable));
        if (profile == "dev" && File.ReadAllText("/proc/self/mountinfo").Contains(" /sys/fs/cgroup ", StringComparison.Ordinal))
        {
            Assert.Contains(kernel, f => f[4].StartsWith("/sys/fs/cgroup", StringComparison.Ordinal)); // the recursive case was exercised
        }
    }

    private static string State(ScuteSession s, string env) =>
        JsonNode.Parse(s.Scute("--json", "inspect", env).Stdout)!["state"]!.GetValue<string>();

    private static IEnumerable<int> AllProcesses() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

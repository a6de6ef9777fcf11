using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>runtime.backend = "podman", rootless as the non-root test user: the same enforcement as the namespace backend, seen from inside.</summary>
[Trait("Category", "Integration")]
public sealed class PodmanBackendTests
{
    private const string NetBindService = "\n[security.capabilities]\nNET_BIND_SERVICE = \"serves HTTP on port 80 to the LAN\"\n";

    private static ScuteSession Session()
    {
        Podman.SkipIfMissing();
        return new ScuteSession(TestUser.WithSubIds);
    }

    [SkippableFact]
    public void Strict_probe_under_podman_gives_what_the_namespace_backend_gives()
    {
        var s = Session();
        var viaPodman = s.Build(Podman.Strict(Manifests.Strict), "podman.toml");
        var viaNamespace = s.Build(Manifests.Strict, "namespace.toml");

        var podman = InsideProbe.Exec(s, viaPodman);
        var ns = InsideProbe.Exec(s, viaNamespace);

        InsideProbe.AssertStrict(podman);
        InsideProbe.AssertStrict(ns);
        Assert.Equal(ns.Enforcement.OrderBy(kv => kv.Key), podman.Enforcement.OrderBy(kv => kv.Key));
    }

    [SkippableFact]
    public void Nothing_under_sys_or_proc_sys_is_writable_and_the_account_is_named()
    {
        var s = Session();
        var env = s.Build(Podman.Strict(Manifests.Strict));

        var r = s.Scute("exec", env, "--", "sh", "-c", "cat /proc/self/mountinfo; echo user=$(whoami) home=$HOME; touch ~/x && echo home-writable");

        Assert.True(r.ExitCode == 0, r.ToString());
        var writable = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .Where(f => f.Length > 5 && (f[4] == "/sys" || f[4].StartsWith("/sys/", StringComparison.Ordinal) || f[4].StartsWith("/proc/sys", StringComparison.Ordinal)))
            .Where(f => !f[5].Split(',').Contains("ro"))
            .Select(f => $"{f[4]} {f[5]}")
            .ToList();
        Assert.True(writable.Count == 0, "writable inside: " + string.Join("; ", writable));
        Assert.Contains("user=scute home=/home/scute", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("home-writable", r.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_dev_environment_runs_as_the_invoking_user_in_the_workspace_with_a_writable_home()
    {
        var s = Session();
        var env = s.Build(Manifests.Karapace.Replace("backend = \"namespace\"", "backend = \"podman\"", StringComparison.Ordinal));

        var r = s.Scute("exec", env, "--", "sh", "-c", "echo user=$(id -un) uid=$(id -u) dir=$(pwd) home=$HOME; touch ~/x && echo home-writable");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"user={s.User.Name} uid={s.User.Uid} dir=/workspace home=/home/{s.User.Name}", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("home-writable", r.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_granted_capability_is_exactly_what_every_set_holds()
    {
        var s = Session();
        var env = s.Build(Podman.Strict(Manifests.Strict) + NetBindService);

        InsideProbe.AssertStrict(InsideProbe.Exec(s, env), capabilities: "0000000000000400");
    }

    [SkippableFact]
    public void Stdin_stdout_stderr_and_the_exit_status_pass_through()
    {
        var s = Session();
        var env = s.Build(Podman.Strict(Manifests.Strict));

        var r = s.ScuteWithInput("from stdin\n", "exec", env, "--", "sh", "-c", "cat; echo to-stderr >&2; exit 42");

        Assert.Equal(42, r.ExitCode);
        Assert.Equal("from stdin\n", r.Stdout);
        Assert.Equal("to-stderr\n", r.Stderr);
    }

    [SkippableFact]
    public void Enter_gives_a_shell_with_a_tty_and_returns_its_status()
    {
        Skip.IfNot(File.Exists("/usr/bin/script"), "needs script(1) from util-linux (bsdutils)");
        var s = Session();
        s.Build(Podman.Strict(Manifests.Strict), name: "podshell");
        var command = $"SCUTE_STORE={s.Store} {ScuteBinary.Path} enter podshell";

        var r = s.User.RunAs(["script", "-qec", command, "/dev/null"], s.Project, stdin: "tty; test -t 0 && echo IS-A-TTY; id -u; exit 3\n");

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("/dev/pts/", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("IS-A-TTY", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("1001", r.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void The_image_is_tagged_by_name_and_short_id_and_loaded_again_only_when_it_changed()
    {
        var s = Session();
        var env = s.Build(Podman.Strict(Manifests.Strict), name: "pod-tag");
        Assert.Equal(0, s.Scute("exec", env, "--", "true").ExitCode);
        var tag = $"localhost/scute/pod-tag:{env}";
        var first = Podman.Check(s.User, s.Project, "image", "inspect", "--format", "{{.Id}}", tag).Stdout.Trim();

        Assert.Equal(0, s.Scute("exec", env, "--", "true").ExitCode);
        var again = Podman.Check(s.User, s.Project, "image", "inspect", "--format", "{{.Id}}", tag).Stdout.Trim();
        var labels = Podman.Check(s.User, s.Project, "image", "inspect", "--format", "{{index .Labels \"org.scute.short-id\"}}", tag).Stdout.Trim();

        Assert.Equal(first, again);
        Assert.Equal(env, labels);
    }

    [SkippableFact]
    public void Inspect_shows_the_exact_podman_command_line()
    {
        var s = Session();
        var env = s.Build(Podman.Strict(Manifests.StrictWithWorkspace) + NetBindService);

        var line = JsonNode.Parse(s.Scute("--json", "inspect", env).Stdout)!["podman_command"]!.GetValue<string>();

        foreach (var flag in new[]
        {
            "--read-only", "--tmpfs /tmp:rw,nosuid,nodev,mode=1777", "--tmpfs /var/tmp:rw,nosuid,nodev,mode=1777", "--tmpfs /run:rw,nosuid,nodev,mode=755",
            "--security-opt no-new-privileges", "--cap-drop ALL", "--cap-add NET_BIND_SERVICE", "--user 1001:1001", "--security-opt seccomp=/",
            "--network none", $"--volume {s.Project}:/workspace:rw", "--unsetenv-all", "--env PATH=", $"localhost/scute/{env}:{env}",
        })
        {
            Assert.Contains(flag, line, StringComparison.Ordinal);
        }

        Assert.StartsWith("podman ", line, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Stop_ends_a_running_command()
    {
        var s = Session();
        var env = s.Build(Podman.Strict(Manifests.Strict));
        using var bg = BackgroundScute.Start(s.User, s.Project, s.Store, ["exec", env, "--", "sleep", "1000"]);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Podman.Run(s.User, s.Project, "ps", "-q", "--filter", "label=org.scute.short-id=" + env).Stdout.Trim().Length == 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(200);
        }

        var stop = s.Scute("stop", "--timeout", "2", env);
        var ended = bg.Wait(60_000);

        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Contains("stopped", stop.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, ended.ExitCode);
        Assert.Empty(Podman.Run(s.User, s.Project, "ps", "-aq", "--filter", "label=org.scute.short-id=" + env).Stdout.Trim());
    }
}

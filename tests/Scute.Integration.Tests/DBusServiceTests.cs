using System.Diagnostics;
using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>scute dbus-service on a real session bus (dbus-daemon), called with busctl and gdbus as the test user.</summary>
[Trait("Category", "Integration")]
public sealed class DBusServiceTests
{
    private const string Scute = "org.scute.Manager1";
    private const string Karapace = "org.karapace.Manager1";

    [SkippableFact]
    public void Every_method_of_org_scute_Manager1_answers()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        using var bus = new SessionBus(s);
        bus.StartService();
        var manifest = s.Write("scute.toml", "manifest_version = 1\n[base]\nimage = \"builtin:busybox\"\n");
        var other = s.Write("other/scute.toml", Manifests.WithImage("builtin:busybox"));

        var built = bus.Call(Scute, "BuildNamedEnvironment", "ss", manifest, "web");
        Assert.True(built.Ok, built.ToString());
        var envId = built.Json["env_id"]!.GetValue<string>();
        Assert.Equal("built", built.Json["state"]!.GetValue<string>());
        var unnamed = bus.Call(Scute, "BuildEnvironment", "s", other);
        Assert.True(unnamed.Ok, unnamed.ToString());

        var list = bus.Call(Scute, "ListEnvironments");
        Assert.Equal(2, list.Json.AsArray().Count);
        Assert.Equal(envId, bus.Call(Scute, "GetEnvironmentStatus", "s", "web").Json["env_id"]!.GetValue<string>());
        Assert.Equal(envId, bus.Call(Scute, "GetEnvironmentHash", "s", "web").Data![0]!.GetValue<string>());

        var exec = bus.Call(Scute, "ExecInEnvironment", "sas", "web", "3", "sh", "-c", "echo hi; echo oops >&2; echo kept > /tmp/f; exit 4");
        Assert.True(exec.Ok, exec.ToString());
        Assert.Equal(4, exec.Data![0]!.GetValue<int>());
        Assert.Equal("hi\n", exec.Data[1]!.GetValue<string>());
        Assert.Equal("oops\n", exec.Data[2]!.GetValue<string>());

        var commit = bus.Call(Scute, "Commit", "ss", "web", "first");
        Assert.True(commit.Ok, commit.ToString());
        var digest = commit.Json["digest"]!.GetValue<string>();
        Assert.Single(bus.Call(Scute, "ListSnapshots", "s", "web").Json.AsArray());
        Assert.True(bus.Call(Scute, "Restore", "ss", "web", digest).Ok);
        var stop = bus.Call(Scute, "StopEnvironment", "s", "web");
        Assert.Equal(0, stop.Json["commands"]!.GetValue<int>());
        var renamed = bus.Call(Scute, "RenameEnvironment", "ss", "web", "api");
        Assert.Equal("api", renamed.Json["name"]!.GetValue<string>());
        Assert.True(bus.Call(Scute, "CheckPolicy", "s", manifest).Json["allowed"]!.GetValue<bool>());
        Assert.True(bus.Call(Scute, "Audit", "s", string.Empty).Ok);
        Assert.True(bus.Call(Scute, "Audit", "s", "api").Ok);
        Assert.True(bus.Call(Scute, "GarbageCollect", "b", "true").Json["dry_run"]!.GetValue<bool>());
        Assert.True(bus.Call(Scute, "VerifyStore").Json["ok"]!.GetValue<bool>());
        var destroyed = bus.Call(Scute, "DestroyEnvironment", "s", "api");
        Assert.Equal(envId, destroyed.Json["destroyed"]!.GetValue<string>());
        Assert.Single(bus.Call(Scute, "ListEnvironments").Json.AsArray());
        Assert.True(bus.Call(Scute, "GarbageCollect", "b", "false").Ok);

        var props = bus.Run(["busctl", "--user", "get-property", Scute, "/org/scute/Manager1", Scute, "ApiVersion", "StoreRoot"]);
        Assert.Equal($"u 1\ns \"{s.Store}\"", props.Stdout.Trim());
        var cli = s.Scute("verify-store");
        Assert.True(cli.ExitCode == 0, cli.ToString());
    }

    [SkippableFact]
    public void A_build_sends_progress_and_state_signals()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        using var bus = new SessionBus(s);
        bus.StartService();
        var manifest = s.Write("scute.toml", Manifests.Strict);
        using var monitor = TestUser.StartRedirected([.. s.User.Prefix(bus.Environment()), "gdbus", "monitor", "--session", "--dest", Scute], s.Project);
        var seen = new System.Text.StringBuilder();
        monitor.OutputDataReceived += (_, e) => { lock (seen) { seen.AppendLine(e.Data); } };
        monitor.BeginOutputReadLine();
        Thread.Sleep(500);

        var built = bus.Call(Scute, "BuildNamedEnvironment", "ss", manifest, "web");
        var envId = built.Json["env_id"]!.GetValue<string>();
        var clock = Stopwatch.StartNew();
        string Seen()
        {
            lock (seen)
            {
                return seen.ToString();
            }
        }

        while (!Seen().Contains("StateChanged", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(50);
        }

        monitor.Kill(entireProcessTree: true);
        var text = Seen();
        Assert.Contains($"org.scute.Manager1.Progress ('build', '{manifest}', 'started')", text, StringComparison.Ordinal);
        Assert.Contains($"org.scute.Manager1.Progress ('build', '{manifest}', 'done')", text, StringComparison.Ordinal);
        Assert.Contains($"org.scute.Manager1.StateChanged ('{envId}', 'built')", text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Every_method_of_org_karapace_Manager1_answers_with_karapace_shapes()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        using var bus = new SessionBus(s);
        bus.StartService();
        var manifest = s.Write("karapace.toml", Manifests.Karapace);
        var other = s.Write("other/karapace.toml", Manifests.WithImage("builtin:busybox"));

        var named = bus.Call(Karapace, "BuildNamedEnvironment", "ss", manifest, "dev");
        Assert.True(named.Ok, named.ToString());
        Assert.Equal(["env_id", "short_id", "name", "state"], named.Json.AsObject().Select(p => p.Key));
        var envId = named.Json["env_id"]!.GetValue<string>();
        var unnamed = bus.Call(Karapace, "BuildEnvironment", "s", other);
        Assert.True(unnamed.Ok, unnamed.ToString());
        Assert.Equal(["env_id", "short_id", "state"], unnamed.Json.AsObject().Select(p => p.Key));

        Assert.Equal(2, bus.Call(Karapace, "ListEnvironments").Json.AsArray().Count);
        Assert.Equal("built", bus.Call(Karapace, "GetEnvironmentStatus", "s", "dev").Json["state"]!.GetValue<string>());
        Assert.Equal(envId, bus.Call(Karapace, "GetEnvironmentHash", "s", "dev").Data![0]!.GetValue<string>());
        Assert.Equal(envId, bus.Call(Karapace, "RunEnvironment", "s", "dev").Json["entered"]!.GetValue<string>());
        var renamed = bus.Call(Karapace, "RenameEnvironment", "ss", "dev", "work").Json;
        Assert.Equal(new JsonObject { ["env_id"] = envId, ["name"] = "work" }.ToJsonString(), renamed.ToJsonString());
        Assert.Equal(["minimal", "dev", "app"], bus.Call(Karapace, "ListPresets").Json.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal(new JsonObject { ["destroyed"] = envId }.ToJsonString(), bus.Call(Karapace, "DestroyEnvironment", "s", "work").Json.ToJsonString());
        var gc = bus.Call(Karapace, "GarbageCollect", "b", "false").Json;
        Assert.Equal(["dry_run", "removed_envs", "removed_layers", "removed_objects"], gc.AsObject().Select(p => p.Key));
        Assert.False(gc["dry_run"]!.GetValue<bool>());
        var verify = bus.Call(Karapace, "VerifyStore").Json;
        Assert.Equal(0, verify["failed"]!.GetValue<int>());
        Assert.Equal(verify["checked"]!.GetValue<int>(), verify["passed"]!.GetValue<int>());

        var error = bus.Gdbus(Karapace, "GetEnvironmentStatus", "work");
        Assert.Contains("GDBus.Error:org.freedesktop.DBus.Error.Failed: no environment 'work' in the store", error.Stderr);
        var version = bus.Run(["busctl", "--user", "get-property", Karapace, "/org/karapace/Manager1", Karapace, "ApiVersion"]);
        Assert.Equal("u 1", version.Stdout.Trim());
    }

    [SkippableFact]
    public void A_malformed_argument_is_one_clear_error_and_changes_nothing()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        using var bus = new SessionBus(s);
        bus.StartService();
        s.Write("scute.toml", Manifests.Strict);

        // gdbus would turn 42 into the string the introspection asks for: busctl sends it as an int32.
        var wrongType = bus.Call(Scute, "BuildEnvironment", "i", "42");
        var relative = bus.Gdbus(Scute, "BuildEnvironment", "scute.toml");
        var option = bus.Gdbus(Scute, "GetEnvironmentStatus", "--", "'--store=/'");
        var unknown = bus.Gdbus(Scute, "DestroyEnvironment", "nothing-here");

        Assert.Equal("Call failed: BuildEnvironment takes (s), not (i)", wrongType.Process.Stderr.Trim());
        Assert.Equal("Error: GDBus.Error:org.freedesktop.DBus.Error.InvalidArgs: manifest_path 'scute.toml' must be an absolute path", relative.Stderr.Split('\n')[0]);
        Assert.StartsWith("Error: GDBus.Error:org.freedesktop.DBus.Error.InvalidArgs: '--store=/' is not an environment", option.Stderr.Split('\n')[0], StringComparison.Ordinal);
        Assert.Equal($"Error: GDBus.Error:org.scute.Error.Failed: no store at {s.Store} yet (scute build creates it)", unknown.Stderr.Split('\n')[0]);
        Assert.False(Directory.Exists(s.Store), "a refused call created the store");
        Assert.True(bus.Call(Scute, "ListEnvironments").Ok);
    }

    [SkippableFact]
    public void Two_builds_at_once_both_finish_and_a_long_call_does_not_hold_up_others()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        using var bus = new SessionBus(s);
        bus.StartService();
        var one = s.Write("one/scute.toml", Manifests.Strict);
        var two = s.Write("two/scute.toml", Manifests.WithImage("builtin:busybox"));

        var builds = new[] { (one, "one"), (two, "two") }.Select(b => Task.Run(() => bus.Call(Scute, "BuildNamedEnvironment", "ss", b.Item1, b.Item2))).ToArray();
        Task.WaitAll(builds);

        Assert.All(builds, b => Assert.True(b.Result.Ok, b.Result.ToString()));
        Assert.Equal(["one", "two"], bus.Call(Scute, "ListEnvironments").Json.AsArray().Select(e => e!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        var sleeping = Task.Run(() => bus.Call(Scute, "ExecInEnvironment", "sas", "one", "2", "sleep", "4"));
        Thread.Sleep(1000);
        var clock = Stopwatch.StartNew();
        var list = bus.Call(Scute, "ListEnvironments");
        var took = clock.Elapsed;

        Assert.True(list.Ok, list.ToString());
        Assert.False(sleeping.IsCompleted, "the exec finished before the list was asked");
        Assert.True(took < TimeSpan.FromSeconds(2), $"ListEnvironments waited {took} for a running exec");
        Assert.Equal(0, sleeping.Result.Data![0]!.GetValue<int>());
        var verify = s.Scute("verify-store");
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [SkippableFact]
    public void The_service_killed_during_a_build_leaves_a_store_that_verifies()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        using var bus = new SessionBus(s);
        var service = bus.StartService();
        var pid = bus.OwnerPid(Scute);
        var manifest = s.Write("scute.toml", Manifests.Strict);
        s.Build(Manifests.WithImage("builtin:busybox"), "first.toml", "first");

        var build = Task.Run(() => bus.Call(Scute, "BuildNamedEnvironment", "ss", manifest, "web"));
        var wal = Path.Combine(s.Store, "store", "wal");
        var clock = Stopwatch.StartNew();
        while (!build.IsCompleted && Directory.GetFiles(wal).Length == 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(5);
        }

        Assert.Equal(0, TestUser.Run("kill", ["-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExitCode);
        Assert.True(service.WaitForExit(10_000), "the service outlived SIGKILL");
        var reply = build.Result;
        var verify = s.Scute("verify-store");
        var list = s.Scute("--json", "list");

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal(0, list.ExitCode);
        Assert.Empty(Directory.GetFiles(wal));
        Assert.Contains("first", list.Stdout, StringComparison.Ordinal);
        if (!reply.Ok)
        {
            // The build died with the service (the usual case: the kill comes as its WAL entry is written).
            Assert.Contains("disconnected from message bus without replying", reply.Process.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("\"web\"", list.Stdout, StringComparison.Ordinal);
            Assert.Equal(0, s.Scute("build", "--name", "web").ExitCode);
        }
    }

    [SkippableFact]
    public void The_installed_activation_file_starts_the_service_on_a_call_and_it_exits_when_idle()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        using var bus = new SessionBus(s, installUnit: true);

        Assert.True(bus.Installed!.ExitCode == 0, bus.Installed.ToString());
        var files = bus.Installed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, files.Length);
        var unit = File.ReadAllText(files.Single(f => f.EndsWith("/systemd/user/scute-dbus.service", StringComparison.Ordinal)));
        Assert.Contains("BusName=org.scute.Manager1", unit, StringComparison.Ordinal);
        Assert.Contains($"ExecStart={ScuteBinary.Path} --store {s.Store} dbus-service", unit, StringComparison.Ordinal);
        var idle = bus.StartService(idleSeconds: 1);
        Assert.True(idle.WaitForExit(15_000), "the service did not exit after its idle timeout");
        Assert.Equal(0, idle.ExitCode);
        Assert.False(bus.Owned(Scute));

        var activated = bus.Call(Karapace, "ListEnvironments");

        Assert.True(activated.Ok, activated.ToString());
        Assert.True(bus.Owned(Scute));
    }
}

using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// scute push and pull through a real registry (docker-registry on loopback): an environment
/// pushed from one store is recreated in another with the same identity and layers, checked
/// against the pulling host's policy, and runs with the registry gone.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SharingTests
{
    private static ScuteSession NewSession()
    {
        Skip.IfNot(RegistryServer.Available, "needs docker-registry and skopeo (test.sh installs them)");
        return new ScuteSession(TestUser.WithSubIds);
    }

    private static ProcessResult Scute(ScuteSession s, RegistryServer server, params string[] args) =>
        s.User.RunAs([ScuteBinary.Path, .. args], s.Project, new Dictionary<string, string>(s.Environment)
        {
            ["SCUTE_STORE"] = s.Store,
            ["SCUTE_INSECURE_REGISTRIES"] = server.Host,
        });

    private static JsonNode Json(ProcessResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return JsonNode.Parse(r.Stdout)!;
    }

    private static string Repository(string what) => $"shared/{what}-{Guid.NewGuid().ToString("N")[..8]}";

    private static JsonNode Inspect(ScuteSession s, string env) => Json(s.Scute("--json", "inspect", env));

    private static List<string> Layers(JsonNode inspect) => [.. inspect["layers"]!.AsArray().Select(l => l!.GetValue<string>())];

    [SkippableFact]
    public void Pushed_environment_pulls_into_a_second_store_with_the_same_identity_and_runs_with_the_registry_stopped()
    {
        var first = NewSession();
        var second = new ScuteSession(TestUser.WithSubIds);
        var server = RegistryServer.Start();
        try
        {
            var env = first.Build(Manifests.Strict, name: "shared");
            var reference = server.Reference(Repository("env"), "1");

            var push = Json(Scute(first, server, "--json", "push", "shared", reference));
            var pull = Json(Scute(second, server, "--json", "pull", reference));

            var original = Inspect(first, env);
            var pulled = Inspect(second, pull["short_id"]!.GetValue<string>());
            Assert.Equal(original["env_id"]!.GetValue<string>(), pull["env_id"]!.GetValue<string>());
            Assert.Equal(original["env_id"]!.GetValue<string>(), pulled["env_id"]!.GetValue<string>());
            Assert.Equal(Layers(original), Layers(pulled));
            Assert.Equal(original["base_digest"]!.GetValue<string>(), pulled["base_digest"]!.GetValue<string>());
            Assert.Equal(original["security"]!.ToJsonString(), pulled["security"]!.ToJsonString());
            Assert.Equal("shared", pulled["name"]!.GetValue<string>());
            Assert.True(push["uploaded"]!.GetValue<int>() > 0, push.ToJsonString());
            var lockPath = System.IO.Path.Combine(first.Project, "scute.lock");
            Assert.Equal(File.ReadAllText(lockPath), File.ReadAllText(System.IO.Path.ChangeExtension(pull["manifest"]!.GetValue<string>(), ".lock")));
            Assert.Equal(0, second.Scute("verify-store").ExitCode);

            server.Dispose();
            server = null;
            var echo = second.Scute("exec", "shared", "--", "busybox", "echo", "offline");
            Assert.True(echo.ExitCode == 0, echo.ToString());
            Assert.Equal("offline", echo.Stdout.Trim());
        }
        finally
        {
            server?.Dispose();
        }
    }

    [SkippableFact]
    public void A_second_push_skips_what_the_repository_has_and_mounts_into_another_repository_and_chunks_big_blobs()
    {
        var s = NewSession();
        using var server = RegistryServer.Start();
        var env = s.Build(Manifests.Strict);
        var a = server.Reference(Repository("a"), "1");
        var b = server.Reference(Repository("b"), "1");

        var chunked = Json(Scute(s, server, "--json", "push", "--chunk-size", "1", env, a));
        var again = Json(Scute(s, server, "--json", "push", env, a));
        var mounted = Json(Scute(s, server, "--json", "push", env, b));

        Assert.True(chunked["chunks"]!.GetValue<int>() > 1, chunked.ToJsonString());
        Assert.Equal(0, again["uploaded"]!.GetValue<int>());
        Assert.Equal(again["blobs"]!.GetValue<int>(), again["present"]!.GetValue<int>());
        Assert.Equal(chunked["manifest_digest"]!.GetValue<string>(), again["manifest_digest"]!.GetValue<string>());
        Assert.Equal(0, mounted["uploaded"]!.GetValue<int>());
        Assert.Equal(mounted["blobs"]!.GetValue<int>(), mounted["mounted"]!.GetValue<int>());

        // The environment record rides as a referrer: the registry has no referrers API, so in the fallback index tag.
        var manifestHex = mounted["manifest_digest"]!.GetValue<string>()["sha256:".Length..];
        var index = s.User.RunAs(["skopeo", "inspect", "--raw", "--tls-verify=false", "--no-creds", $"docker://{b[..b.LastIndexOf(':')]}:sha256-{manifestHex}"], s.Project);
        Assert.True(index.ExitCode == 0, index.ToString());
        Assert.Equal("application/vnd.scute.environment.v1+json", JsonNode.Parse(index.Stdout)!["manifests"]![0]!["artifactType"]!.GetValue<string>());

        // What skopeo reads of it is an ordinary image, whole (every digest checked).
        var copy = s.User.RunAs(["skopeo", "copy", "--quiet", "--src-tls-verify=false", "--src-no-creds", "docker://" + b, "oci:" + System.IO.Path.Combine(s.Root, "copy") + ":1"], s.Project);
        Assert.True(copy.ExitCode == 0, copy.ToString());
    }

    [SkippableFact]
    public void A_file_the_environment_deleted_from_its_base_stays_deleted_after_the_pull()
    {
        var first = NewSession();
        var second = new ScuteSession(TestUser.WithSubIds);
        using var server = RegistryServer.Start();
        var env = first.Build("""
            manifest_version = 1

            [base]
            image = "builtin:busybox"

            [runtime]
            backend = "namespace"
            """, name: "pruned");
        // A whiteout in the upper folder: its store tar and its OCI layer differ, so the tar travels too.
        var rm = first.Scute("exec", "pruned", "--", "sh", "-c", "rm /bin/vi && echo kept > /kept");
        Assert.True(rm.ExitCode == 0, rm.ToString());
        var reference = server.Reference(Repository("pruned"), "1");

        Json(Scute(first, server, "--json", "push", env, reference));
        Json(Scute(second, server, "--json", "pull", reference));

        var probe = second.Scute("exec", "pruned", "--", "sh", "-c", "test -e /bin/vi && echo present || echo absent; cat /kept");
        Assert.True(probe.ExitCode == 0, probe.ToString());
        Assert.Equal("absent\nkept", probe.Stdout.Trim());
        Assert.Equal(0, second.Scute("verify-store").ExitCode);
    }

    [SkippableFact]
    public void A_pulled_environment_this_hosts_policy_forbids_is_refused_with_exit_2_and_nothing_is_kept()
    {
        var first = NewSession();
        var second = new ScuteSession(TestUser.WithSubIds);
        using var server = RegistryServer.Start();
        var env = first.Build(Manifests.Strict);
        var reference = server.Reference(Repository("policy"), "1");
        Json(Scute(first, server, "--json", "push", env, reference));
        var config = System.IO.Path.Combine(second.Root, "config");
        second.User.RunAs(["sh", "-c", $"mkdir -p {config}/scute && printf '[profiles]\\nallowed = [\"dev\"]\\n' > {config}/scute/policy.toml"]);
        second.Environment["XDG_CONFIG_HOME"] = config;

        var pull = Scute(second, server, "pull", reference);

        Assert.Equal(2, pull.ExitCode);
        Assert.Single(pull.Stderr.Trim().Split('\n'));
        Assert.Empty(Json(second.Scute("--json", "list")).AsArray());
        var objects = System.IO.Path.Combine(second.Store, "store", "objects");
        Assert.True(!Directory.Exists(objects) || !Directory.EnumerateFileSystemEntries(objects).Any(), "the refused pull kept objects");
    }
}

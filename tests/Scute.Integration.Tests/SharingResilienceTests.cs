using System.Diagnostics;
using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// Push and pull over a network that fails (a proxy that fails every third request) and a pull
/// killed with SIGKILL half-way: retried, resumed without fetching finished blobs again, and the
/// store verifiable after the kill, as the crash harness checks it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SharingResilienceTests
{
    private const string Dev = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        [runtime]
        backend = "namespace"
        """;

    private static ScuteSession NewSession()
    {
        Skip.IfNot(RegistryServer.Available, "needs docker-registry and skopeo (test.sh installs them)");
        return new ScuteSession(TestUser.WithSubIds);
    }

    private static ProcessResult Scute(ScuteSession s, string insecure, params string[] args) =>
        s.User.RunAs([ScuteBinary.Path, .. args], s.Project, new Dictionary<string, string>(s.Environment) { ["SCUTE_STORE"] = s.Store, ["SCUTE_INSECURE_REGISTRIES"] = insecure }, timeoutMs: 300_000);

    private static JsonNode Json(ProcessResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return JsonNode.Parse(r.Stdout)!;
    }

    [SkippableFact]
    public void Push_and_pull_succeed_through_a_proxy_that_fails_every_third_request()
    {
        var first = NewSession();
        var second = new ScuteSession(TestUser.WithSubIds);
        using var server = RegistryServer.Start();
        using var proxy = FlakyProxy.Start(server.Host, failEvery: 3);
        var env = first.Build(Manifests.Strict);
        var reference = $"{proxy.Host}/flaky/env:1";

        var push = Json(Scute(first, proxy.Host, "--json", "push", "--chunk-size", "1", env, reference));
        var pull = Json(Scute(second, proxy.Host, "--json", "pull", reference));

        Assert.True(proxy.Failures >= 3, $"the proxy failed {proxy.Failures} of {proxy.Requests} requests");
        Assert.True(push["chunks"]!.GetValue<int>() > 1);
        Assert.Equal(Json(first.Scute("--json", "inspect", env))["env_id"]!.GetValue<string>(), pull["env_id"]!.GetValue<string>());
        Assert.Equal(0, second.Scute("verify-store").ExitCode);
    }

    [SkippableFact]
    public void A_pull_killed_half_way_leaves_a_verifiable_store_and_the_next_pull_fetches_only_what_was_not_finished()
    {
        var first = NewSession();
        var second = new ScuteSession(TestUser.WithSubIds);
        using var server = RegistryServer.Start();
        var env = first.Build(Dev, name: "big");
        // 24 MiB of the environment's own (its upper folder): a layer slow enough to kill in, through the proxy.
        var fill = first.Scute("exec", "big", "--", "sh", "-c", "dd if=/dev/urandom of=/big bs=1M count=24 2>/dev/null");
        Assert.True(fill.ExitCode == 0, fill.ToString());
        var reference = $"big/env:1";
        Json(Scute(first, server.Host, "--json", "push", "big", $"{server.Host}/{reference}"));
        var baseTar = BaseTar(first, env);

        using (var proxy = FlakyProxy.Start(server.Host, bytesPerSecond: 4 * 1024 * 1024))
        {
            using var pull = BackgroundScute.Start(second.User, second.Project, second.Store, ["pull", $"{proxy.Host}/{reference}"],
                new Dictionary<string, string> { ["SCUTE_INSECURE_REGISTRIES"] = proxy.Host });
            var baseObject = Path.Combine(second.Store, "store", "objects", baseTar["sha256:".Length..]);
            var clock = Stopwatch.StartNew();
            while (!File.Exists(baseObject) && !pull.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(20);
            }

            var killed = pull.KillTree();
            Assert.True(killed.ExitCode != 0, "the pull finished before the kill: " + killed);
            Assert.True(File.Exists(baseObject), "the base blob was not finished when the pull was killed");
        }

        // The store as the crash harness requires it: verifiable, no operation half-recorded.
        var verify = second.Scute("verify-store");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Empty(Json(second.Scute("--json", "list")).AsArray());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(second.Store, "store", "wal")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(second.Store, "store", "staging")));
        Assert.False(Directory.Exists(Path.Combine(second.Store, "env")) && Directory.EnumerateFileSystemEntries(Path.Combine(second.Store, "env")).Any());

        var baseGets = server.BlobGets(baseTar);
        var again = Json(Scute(second, server.Host, "--json", "pull", $"{server.Host}/{reference}"));

        Assert.Equal(baseGets, server.BlobGets(baseTar));
        Assert.Equal(1, again["blobs_fetched"]!.GetValue<int>());
        var size = second.Scute("exec", "big", "--", "sh", "-c", "wc -c < /big");
        Assert.True(size.ExitCode == 0, size.ToString());
        Assert.Equal((24 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), size.Stdout.Trim());
        Assert.Equal(0, second.Scute("verify-store").ExitCode);
    }

    [SkippableFact]
    public void Push_and_pull_killed_at_random_points_leave_verifiable_stores_and_finish_when_run_again()
    {
        var first = NewSession();
        var second = new ScuteSession(TestUser.WithSubIds);
        using var server = RegistryServer.Start();
        first.Build(Dev, name: "big");
        var fill = first.Scute("exec", "big", "--", "sh", "-c", "dd if=/dev/urandom of=/big bs=1M count=16 2>/dev/null");
        Assert.True(fill.ExitCode == 0, fill.ToString());
        var seed = Environment.TickCount;
        var random = new Random(seed);
        using var proxy = FlakyProxy.Start(server.Host, bytesPerSecond: 8 * 1024 * 1024);
        var insecure = new Dictionary<string, string> { ["SCUTE_INSECURE_REGISTRIES"] = proxy.Host };
        var reference = $"{proxy.Host}/killed/env:1";

        foreach (var (session, args) in new[] { (first, new[] { "push", "big", reference }), (second, new[] { "pull", reference }) })
        {
            for (var round = 0; round < 4; round++)
            {
                var delay = random.Next(0, 2500);
                using var run = BackgroundScute.Start(session.User, session.Project, session.Store, args, insecure);
                Thread.Sleep(delay);
                run.KillTree();

                // What the crash harness requires after a kill: the next command recovers, and everything verifies.
                var verify = session.Scute("verify-store");
                Assert.True(verify.ExitCode == 0, $"seed {seed}, {args[0]} killed after {delay} ms: {verify}");
                Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(session.Store, "store", "wal")));
                Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(session.Store, "store", "staging")));
            }

            var finished = Scute(session, proxy.Host, args);
            Assert.True(finished.ExitCode == 0, $"seed {seed}: {finished}");
        }

        var size = second.Scute("exec", "big", "--", "sh", "-c", "wc -c < /big");
        Assert.Equal((16 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), size.Stdout.Trim());
        Assert.Equal(0, second.Scute("verify-store").ExitCode);
    }

    [SkippableFact]
    public void On_a_terminal_push_and_pull_draw_a_bar_per_blob_and_a_total()
    {
        var first = NewSession();
        var second = new ScuteSession(TestUser.WithSubIds);
        using var server = RegistryServer.Start();
        var env = first.Build(Dev, name: "drawn");
        var reference = $"{server.Host}/drawn/env:1";
        var baseTar = BaseTar(first, env);

        // script(1) gives scute a pseudo-terminal as stderr; what it draws there is copied to stdout.
        ProcessResult OnTerminal(ScuteSession s, string command) =>
            s.User.RunAs(["script", "-qec", $"{ScuteBinary.Path} {command}", "/dev/null"], s.Project,
                new Dictionary<string, string>(s.Environment) { ["SCUTE_STORE"] = s.Store, ["SCUTE_INSECURE_REGISTRIES"] = server.Host, ["TERM"] = "xterm", ["COLUMNS"] = "160" });
        var push = OnTerminal(first, $"push drawn {reference}");
        var pull = OnTerminal(second, $"pull {reference}");

        Assert.True(push.ExitCode == 0 && pull.ExitCode == 0, push + pull.ToString());
        Assert.Matches("push [0-9a-f]{12}", push.Stdout);
        Assert.Contains("push drawn/env", push.Stdout, StringComparison.Ordinal);
        Assert.Contains($"blob {baseTar["sha256:".Length..][..12]}", pull.Stdout, StringComparison.Ordinal);
        Assert.Contains("pull drawn/env", pull.Stdout, StringComparison.Ordinal);
    }

    /// <summary>The tar digest of the environment's base layer, read from the store's layer description.</summary>
    private static string BaseTar(ScuteSession s, string env)
    {
        var layer = Json(s.Scute("--json", "inspect", env))["layers"]![0]!.GetValue<string>();
        var description = File.ReadAllText(Path.Combine(s.Store, "store", "layers", layer["sha256:".Length..]));
        return JsonNode.Parse(description)!["tar_digest"]!.GetValue<string>();
    }
}

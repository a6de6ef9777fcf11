using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// Base images from a real registry (docker-registry on loopback, filled by skopeo) and from OCI
/// layouts and archives on disk, built and run by the CLI as the test user.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RegistryImageTests(RegistryFixture registries) : IClassFixture<RegistryFixture>
{
    private static ScuteSession NewSession()
    {
        Skip.IfNot(RegistryServer.Available, "needs docker-registry and skopeo (test.sh installs them)");
        Skip.IfNot(File.Exists(TestOciImages.Busybox), "needs /bin/busybox (busybox-static)");
        return new ScuteSession(TestUser.WithSubIds);
    }

    /// <summary>Runs the CLI as the session's user with extra environment variables.</summary>
    private static ProcessResult Scute(ScuteSession s, IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var all = new Dictionary<string, string>(env) { ["SCUTE_STORE"] = s.Store };
        return s.User.RunAs([ScuteBinary.Path, .. args], s.Project, all);
    }

    private static Dictionary<string, string> Insecure(RegistryServer server) => new() { ["SCUTE_INSECURE_REGISTRIES"] = server.Host };

    /// <summary>An OCI layout written by the test, owned by the test user; returns its folder.</summary>
    private static string Layout(ScuteSession s, string name, string tag, params string[] architectures)
    {
        var dir = Path.Combine(s.Root, name);
        TestOciImages.WriteLayout(dir, tag, Guid.NewGuid().ToString("N"), architectures);
        Chown(s, dir);
        return dir;
    }

    private static void Chown(ScuteSession s, string path)
    {
        if (TestUser.RunningAsRoot)
        {
            Assert.Equal(0, TestUser.Run("chown", ["-R", $"{s.User.Name}:{s.User.Name}", path]).ExitCode);
        }
    }

    private static string BuildOk(ScuteSession s, IReadOnlyDictionary<string, string> env, string file, string image, out JsonNode result)
    {
        var r = Scute(s, env, "--json", "build", s.Write(file, Manifests.WithImage(image)));
        Assert.True(r.ExitCode == 0, r.ToString());
        result = JsonNode.Parse(r.Stdout)!;
        return result["short_id"]!.GetValue<string>();
    }

    private static void AssertEchoOk(ScuteSession s, string env)
    {
        var r = s.Scute("exec", env, "--", "busybox", "echo", "ok");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("ok", r.Stdout.Trim());
    }

    private static string Repository(string what) => $"it/{what}-{Guid.NewGuid().ToString("N")[..8]}";

    [SkippableFact]
    public void Two_layer_image_with_a_whiteout_builds_runs_and_a_second_build_fetches_no_blob()
    {
        var s = NewSession();
        var server = registries.Open;
        var repo = Repository("whiteout");
        server.Push("oci:" + Layout(s, "layout", "1.0", TestOciImages.HostArchitecture) + ":1.0", repo, "1.0");
        var env = Insecure(server);

        var id = BuildOk(s, env, "scute.toml", server.Reference(repo, "1.0"), out _);
        var fetched = server.BlobGets();
        BuildOk(s, env, "again.toml", server.Reference(repo, "1.0"), out _);

        AssertEchoOk(s, id);
        var whiteout = s.Scute("exec", id, "--", "sh", "-c", "cat /etc/layer2; test -e /etc/doomed && echo present || echo absent");
        Assert.True(whiteout.ExitCode == 0, whiteout.ToString());
        Assert.Equal("second layer\nabsent", whiteout.Stdout.Trim());
        Assert.Equal(fetched, server.BlobGets());
        Assert.Contains("\"manifest_digest\": \"sha256:", File.ReadAllText(Path.Combine(s.Project, "scute.lock")));
    }

    [SkippableFact]
    public void Pin_rewrites_the_tag_to_its_digest_and_a_locked_build_keeps_the_identity()
    {
        var s = NewSession();
        var server = registries.Open;
        var repo = Repository("pin");
        server.Push("oci:" + Layout(s, "layout", "3.0", TestOciImages.HostArchitecture) + ":3.0", repo, "3.0");
        var env = Insecure(server);
        var id = BuildOk(s, env, "scute.toml", server.Reference(repo, "3.0"), out var built);

        var pin = Scute(s, env, "--json", "pin");
        var locked = Scute(s, env, "--json", "build", "--locked");

        Assert.True(pin.ExitCode == 0, pin.ToString());
        var after = JsonNode.Parse(pin.Stdout)!["after"]!.GetValue<string>();
        Assert.StartsWith(server.Reference(repo, "3.0") + "@sha256:", after, StringComparison.Ordinal);
        Assert.Contains($"image = \"{after}\"", File.ReadAllText(Path.Combine(s.Project, "scute.toml")), StringComparison.Ordinal);
        Assert.True(locked.ExitCode == 0, locked.ToString());
        Assert.Equal(built["env_id"]!.GetValue<string>(), JsonNode.Parse(locked.Stdout)!["env_id"]!.GetValue<string>());
        AssertEchoOk(s, id);
    }

    [SkippableFact]
    public void Downloads_and_unpacking_show_progress_on_a_terminal_and_nothing_in_a_pipe()
    {
        var s = NewSession();
        var server = registries.Open;
        var repo = Repository("progress");
        server.Push("oci:" + Layout(s, "layout", "4.0", TestOciImages.HostArchitecture) + ":4.0", repo, "4.0");
        var env = Insecure(server);
        s.Write("tty/scute.toml", Manifests.WithImage(server.Reference(repo, "4.0")));
        s.Write("pipe/scute.toml", Manifests.WithImage(server.Reference(repo, "4.0")));

        var onTerminal = s.User.RunAs(
            ["script", "-qec", $"{ScuteBinary.Path} build tty/scute.toml", "/dev/null"],
            s.Project,
            new Dictionary<string, string>(env) { ["SCUTE_STORE"] = s.Store, ["TERM"] = "xterm" });
        // Its own store, so it downloads and unpacks too.
        var inPipe = s.User.RunAs(
            [ScuteBinary.Path, "build", "pipe/scute.toml"],
            s.Project,
            new Dictionary<string, string>(env) { ["SCUTE_STORE"] = Path.Combine(s.Root, "pipe-store") });

        Assert.True(onTerminal.ExitCode == 0, onTerminal.ToString());
        Assert.Contains("blob ", onTerminal.Stdout, StringComparison.Ordinal);
        Assert.Contains("unpack ", onTerminal.Stdout, StringComparison.Ordinal);
        Assert.True(inPipe.ExitCode == 0, inPipe.ToString());
        Assert.DoesNotContain("blob ", inPipe.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unpack ", inPipe.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", inPipe.Stderr + inPipe.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_two_platform_index_gives_the_host_platform_and_says_so_with_verbose()
    {
        var s = NewSession();
        var server = registries.Open;
        var repo = Repository("multi");
        server.Push("oci:" + Layout(s, "multi", "2.0", "amd64", "arm64") + ":2.0", repo, "2.0");
        s.Write("scute.toml", Manifests.WithImage(server.Reference(repo, "2.0")));

        var build = Scute(s, Insecure(server), "-v", "--json", "build", "scute.toml");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("linux/" + TestOciImages.HostArchitecture, build.Stderr);
        var id = JsonNode.Parse(build.Stdout)!["short_id"]!.GetValue<string>();
        var arch = s.Scute("exec", id, "--", "busybox", "cat", "/etc/arch");
        Assert.True(arch.ExitCode == 0, arch.ToString());
        Assert.Equal(TestOciImages.HostArchitecture, arch.Stdout.Trim());
    }

    [SkippableFact]
    public void A_registry_demanding_basic_auth_is_answered_from_the_auth_file()
    {
        var s = NewSession();
        var server = registries.Protected;
        var repo = Repository("private");
        server.Push("oci:" + Layout(s, "layout", "1.0", TestOciImages.HostArchitecture) + ":1.0", repo, "1.0");
        var env = Insecure(server);
        s.Write("scute.toml", Manifests.WithImage(server.Reference(repo, "1.0")));

        var refused = Scute(s, env, "build", "scute.toml");
        var runtime = Path.Combine(s.Root, "run");
        var (user, password) = server.Credentials!.Value;
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}"));
        s.Write("../run/containers/auth.json", $"{{\"auths\":{{\"{server.Host}\":{{\"auth\":\"{auth}\"}}}}}}");
        env["XDG_RUNTIME_DIR"] = runtime;
        var id = BuildOk(s, env, "scute.toml", server.Reference(repo, "1.0"), out _);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("auth", refused.Stderr);
        Assert.Single(refused.Stderr.Trim().Split('\n'));
        AssertEchoOk(s, id);
    }

    [SkippableFact]
    public void A_blob_served_corrupted_is_exit_3_and_nothing_is_kept()
    {
        var s = NewSession();
        var server = registries.Open;
        var repo = Repository("corrupt");
        var layout = Layout(s, "layout", "1.0", TestOciImages.HostArchitecture);
        server.Push("oci:" + layout + ":1.0", repo, "1.0");
        var manifestDigest = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!["manifests"]![0]!["digest"]!.GetValue<string>();
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "blobs/sha256", manifestDigest[7..])))!;
        // The unique layer (layer 1 carries /etc/unique), so no other test shares the blob.
        var layer = manifest["layers"]![0]!["digest"]!.GetValue<string>();
        var data = server.BlobDataPath(layer);
        var bytes = File.ReadAllBytes(data);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(data, bytes);
        s.Write("scute.toml", Manifests.WithImage(server.Reference(repo, "1.0")));

        var r = Scute(s, Insecure(server), "build", "scute.toml");

        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.Contains(layer, r.Stderr);
        Assert.False(File.Exists(Path.Combine(s.Store, "store/objects", layer[7..])));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(s.Store, "store/staging")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(s.Store, "images")));
    }

    [SkippableFact]
    public void The_same_image_as_oci_layout_oci_archive_and_docker_archive_builds_to_one_content_digest()
    {
        var s = NewSession();
        var layout = Layout(s, "layout", "1.0", TestOciImages.HostArchitecture);
        var ociArchive = Path.Combine(s.Root, "image.oci.tar");
        var dockerArchive = Path.Combine(s.Root, "image.docker.tar");
        foreach (var target in new[] { $"oci-archive:{ociArchive}:1.0", $"docker-archive:{dockerArchive}:it/image:1.0" })
        {
            var copy = TestUser.Run("skopeo", ["copy", "--quiet", $"oci:{layout}:1.0", target], timeoutMs: 60_000);
            Assert.True(copy.ExitCode == 0, copy.ToString());
        }

        Chown(s, s.Root);
        var none = new Dictionary<string, string>();

        var fromLayout = BuildOk(s, none, "layout.toml", $"oci:{layout}:1.0", out var a);
        var fromOciArchive = BuildOk(s, none, "oci-archive.toml", $"oci-archive:{ociArchive}:1.0", out var b);
        var fromDockerArchive = BuildOk(s, none, "docker-archive.toml", $"docker-archive:{dockerArchive}", out var c);

        AssertEchoOk(s, fromLayout);
        AssertEchoOk(s, fromOciArchive);
        AssertEchoOk(s, fromDockerArchive);
        Assert.Equal(a["base_digest"]!.GetValue<string>(), b["base_digest"]!.GetValue<string>());
        Assert.Equal(a["base_digest"]!.GetValue<string>(), c["base_digest"]!.GetValue<string>());
    }
}

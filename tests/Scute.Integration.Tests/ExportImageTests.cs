using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>`scute export oci|oci-archive`: an OCI image that skopeo and rootless Podman accept, the same bytes every time.</summary>
[Trait("Category", "Integration")]
public sealed class ExportImageTests
{
    private static ProcessResult Skopeo(ScuteSession s, params string[] args) => s.User.RunAs(["skopeo", .. args], s.Project);

    private static JsonNode Json(ProcessResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return JsonNode.Parse(r.Stdout)!;
    }

    [SkippableFact]
    public void Exporting_twice_gives_the_same_bytes()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict, name: "twice");

        var first = s.Scute("export", "oci-archive", env, Path.Combine(s.Root, "a.tar"));
        var second = s.Scute("export", "oci-archive", "twice", Path.Combine(s.Root, "b.tar"));

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(s.Root, "a.tar")), File.ReadAllBytes(Path.Combine(s.Root, "b.tar")));
    }

    [SkippableFact]
    public void Skopeo_reads_the_archive_and_the_folder_with_scutes_config()
    {
        Skip.IfNot(File.Exists("/usr/bin/skopeo"), "skopeo is not installed (./test.sh installs it)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict, name: "inspected");
        var archive = Path.Combine(s.Root, "img.tar");
        var folder = Path.Combine(s.Root, "layout");
        Assert.Equal(0, s.Scute("export", "oci-archive", env, archive).ExitCode);
        var json = JsonNode.Parse(s.Scute("--json", "export", "oci", env, folder).Stdout)!;

        var inspect = Json(Skopeo(s, "inspect", "oci-archive:" + archive));
        var config = Json(Skopeo(s, "inspect", "--config", "oci:" + folder));
        var raw = Json(Skopeo(s, "inspect", "--raw", "oci:" + folder));

        var envId = JsonNode.Parse(s.Scute("--json", "inspect", env).Stdout)!["env_id"]!.GetValue<string>();
        Assert.Equal(envId, inspect["Labels"]!["org.scute.env-id"]!.GetValue<string>());
        Assert.StartsWith("sha256:", inspect["Labels"]!["org.scute.manifest-digest"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("sha256:", inspect["Labels"]!["org.scute.lock-checksum"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(json["manifest_digest"]!.GetValue<string>(), inspect["Digest"]!.GetValue<string>());
        Assert.Equal("1001:1001", config["config"]!["User"]!.GetValue<string>());
        Assert.Null(config["config"]!["Entrypoint"]);
        Assert.NotNull(config["config"]!["Cmd"]);
        var variables = config["config"]!["Env"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Contains(variables, v => v.StartsWith("PATH=", StringComparison.Ordinal));
        Assert.DoesNotContain(variables, v => v.StartsWith("TERM=", StringComparison.Ordinal));
        Assert.All(raw["layers"]!.AsArray(), l => Assert.Equal("application/vnd.oci.image.layer.v1.tar", l!["mediaType"]!.GetValue<string>()));
    }

    [SkippableFact]
    public void Podman_loads_and_runs_the_image_rootless_with_the_environments_changes()
    {
        Podman.SkipIfMissing();
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Karapace, name: "changed");
        var change = s.Scute("exec", env, "--", "sh", "-c", "echo kept > /etc/scute-change && rm /etc/os-release");
        Assert.True(change.ExitCode == 0, change.ToString());
        var archive = Path.Combine(s.Root, "img.tar");
        Assert.Equal(0, s.Scute("export", "oci-archive", env, archive).ExitCode);

        var load = Podman.Check(s.User, s.Project, "load", "-i", archive);
        var run = Podman.Run(s.User, s.Project, "run", "--rm", "--network", "none", $"localhost/scute/changed:{env}",
            "sh", "-c", "cat /etc/scute-change; test -e /etc/os-release && echo removed-file-back; id -u; exit 3");

        Assert.Contains($"localhost/scute/changed:{env}", load.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("kept", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("removed-file-back", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(s.User.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Oci_and_oci_archive_need_a_destination_and_a_non_empty_folder_is_refused()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict);
        s.Write("taken/file", "x");

        var none = s.Scute("export", "oci", env);
        var taken = s.Scute("export", "oci", env, Path.Combine(s.Project, "taken"));
        var unknown = s.Scute("export", "docker", env, "x");

        Assert.Equal(1, none.ExitCode);
        Assert.Contains("needs a destination", none.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, taken.ExitCode);
        Assert.Contains("not empty", taken.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, unknown.ExitCode);
    }

    [SkippableFact]
    public void Memory_does_not_grow_with_the_size_of_a_layer()
    {
        Skip.IfNot(File.Exists("/usr/bin/time"), "GNU time is not installed");
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Karapace, name: "big");
        const int megabytes = 400;
        var fill = s.Scute("exec", env, "--", "dd", "if=/dev/zero", "of=/big", "bs=1048576", $"count={megabytes}");
        Assert.True(fill.ExitCode == 0, fill.ToString());
        var archive = Path.Combine(s.Root, "big.tar");

        var r = s.User.RunAs(["/usr/bin/time", "-f", "maxrss_kb=%M", ScuteBinary.Path, "export", "oci-archive", env, archive], s.Project,
            new Dictionary<string, string> { ["SCUTE_STORE"] = s.Store });

        Assert.True(r.ExitCode == 0, r.ToString());
        var rssKb = long.Parse(r.Stderr.Split("maxrss_kb=")[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(new FileInfo(archive).Length > megabytes * 1048576L);
        Assert.True(rssKb < 150 * 1024, $"export of a {megabytes} MB layer peaked at {rssKb / 1024} MB of memory");
    }
}

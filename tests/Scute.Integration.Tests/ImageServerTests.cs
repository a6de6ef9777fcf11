using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// Karapace's aliases through a simplestreams image server, and http(s) rootfs tarballs, with the
/// real CLI as a non-root user against a server on 127.0.0.1 (ImageServerFixture).
/// </summary>
[Trait("Category", "Integration")]
public sealed class ImageServerTests : IDisposable
{
    private readonly ImageServerFixture server = new();

    public void Dispose() => server.Dispose();

    private static string Manifest(string image, string profile = "dev") => $"""
        manifest_version = 1

        [base]
        image = "{image}"

        [security]
        profile = "{profile}"
        """;

    private ScuteSession Session()
    {
        Skip.IfNot(File.Exists("/bin/busybox"), "needs /bin/busybox (busybox-static)");
        var s = new ScuteSession(TestUser.WithSubIds);
        server.Use(s);
        return s;
    }

    private bool IsRootfsRequest(string path) => path.EndsWith("/rootfs.tar.xz", StringComparison.Ordinal);

    [SkippableFact]
    public void An_alias_builds_from_the_image_server_and_runs()
    {
        var s = Session();
        var item = server.AddRootfs("debian", "bookworm", ImageServerFixture.MakeBusyboxRootfs(s.Root, "from-the-image-server"));

        var env = s.Build(Manifest("debian/bookworm"));
        var echo = s.Scute("exec", env, "--", "busybox", "echo", "ok");
        var motd = s.Scute("exec", env, "--", "cat", "/etc/motd");

        Assert.True(echo.ExitCode == 0, echo.ToString());
        Assert.Equal("ok", echo.Stdout.Trim());
        Assert.Equal("from-the-image-server", motd.Stdout.Trim());
        var lockBase = JsonNode.Parse(File.ReadAllText(Path.Combine(s.Project, "scute.lock")))!["base"]!;
        Assert.Equal("debian/bookworm", lockBase["reference"]!.GetValue<string>());
        Assert.Equal(item.Version, lockBase["version"]!.GetValue<string>());
        Assert.Equal(item.Sha256, lockBase["sha256"]!.GetValue<string>());
    }

    [SkippableFact]
    public void A_second_build_does_not_ask_the_server_again()
    {
        var s = Session();
        server.AddRootfs("debian", "bookworm", ImageServerFixture.MakeBusyboxRootfs(s.Root));
        var first = s.Build(Manifest("debian/bookworm"));
        var after = server.Requests.Count;
        Assert.Equal(1, server.CountRequests(IsRootfsRequest));

        var second = s.Build(Manifest("debian/bookworm"));

        Assert.Equal(first, second);
        Assert.Equal(after, server.Requests.Count);
    }

    [SkippableFact]
    public void Strict_refuses_an_unlocked_alias_before_any_request_and_accepts_it_once_the_lock_pins_it()
    {
        var s = Session();
        server.AddRootfs("debian", "bookworm", ImageServerFixture.MakeBusyboxRootfs(s.Root));

        var refused = s.Scute("build", s.Write("scute.toml", Manifest("debian/bookworm", "strict")));
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("not pinned", refused.Stderr, StringComparison.Ordinal);
        Assert.Empty(server.Requests);

        s.Build(Manifest("debian/bookworm"));
        var pinned = s.Scute("build", s.Write("scute.toml", Manifest("debian/bookworm", "strict")));
        Assert.True(pinned.ExitCode == 0, pinned.ToString());
    }

    [SkippableFact]
    public void A_corrupted_rootfs_is_exit_3_and_nothing_is_kept()
    {
        var s = Session();
        server.AddRootfs("debian", "bookworm", ImageServerFixture.MakeBusyboxRootfs(s.Root), corrupt: true);

        var r = s.Scute("build", s.Write("scute.toml", Manifest("debian/bookworm")));

        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.Contains("sha256", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        AssertNothingKept(s);
    }

    [SkippableFact]
    public void An_http_url_with_the_right_sha256_builds_and_a_wrong_one_is_exit_3()
    {
        var s = Session();
        var tarball = ImageServerFixture.MakeBusyboxRootfs(s.Root, "by-url");
        var url = server.AddFile("/files/rootfs.tar.xz", tarball);
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(tarball)));

        var wrong = s.Scute("build", s.Write("scute.toml", Manifest($"{url}#sha256={new string('0', 64)}")));
        Assert.True(wrong.ExitCode == 3, wrong.ToString());
        AssertNothingKept(s);

        var env = s.Build(Manifest($"{url}#sha256={sha256}", "strict"));
        var motd = s.Scute("exec", env, "--", "cat", "/etc/motd");
        Assert.Equal("by-url", motd.Stdout.Trim());
    }

    [SkippableFact]
    public void An_http_url_without_sha256_records_the_digest_it_found_in_the_lock()
    {
        var s = Session();
        var tarball = ImageServerFixture.MakeBusyboxRootfs(s.Root);
        var url = server.AddFile("/files/plain.tar.xz", tarball);

        s.Build(Manifest(url));
        s.Build(Manifest(url));

        var lockBase = JsonNode.Parse(File.ReadAllText(Path.Combine(s.Project, "scute.lock")))!["base"]!;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(tarball))), lockBase["sha256"]!.GetValue<string>());
        Assert.Null(lockBase["version"]);
        Assert.Equal(1, server.CountRequests(p => p == "/files/plain.tar.xz"));
    }

    [SkippableTheory]
    [InlineData("debian:12", "docker.io/library/debian:12")]
    [InlineData("nginx", "docker.io/library/nginx")]
    public void A_short_name_is_exit_2_suggesting_the_qualified_form(string image, string suggestion)
    {
        var s = Session();

        var r = s.Scute("build", s.Write("scute.toml", Manifest(image)));

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("scute.toml:4: base.image", r.Stderr, StringComparison.Ordinal);
        Assert.Contains($"\"{suggestion}\"", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Empty(server.Requests);
    }

    [SkippableTheory]
    [InlineData("docker.io/library/debian@sha512:00", "algorithm")]
    [InlineData("localhost:70000/app", "port")]
    [InlineData("docker.io/Library/debian:12", "lower case")]
    [InlineData("docker.io/", "repository is empty")]
    public void A_malformed_reference_is_exit_2_naming_the_line(string image, string expected)
    {
        var s = Session();

        var r = s.Scute("build", s.Write("scute.toml", Manifest(image)));

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("scute.toml:4: base.image", r.Stderr, StringComparison.Ordinal);
        Assert.Contains(expected, r.Stderr, StringComparison.Ordinal);
    }

    private static void AssertNothingKept(ScuteSession s)
    {
        foreach (var folder in new[] { "images", "store/staging" })
        {
            var path = Path.Combine(s.Store, folder);
            Assert.True(!Directory.Exists(path) || !Directory.EnumerateFileSystemEntries(path).Any(), $"{folder} is not empty: {string.Join(", ", Directory.Exists(path) ? Directory.EnumerateFileSystemEntries(path) : [])}");
        }
    }
}

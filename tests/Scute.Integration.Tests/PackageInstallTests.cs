using System.Diagnostics;
using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;
using Scute.Manifest;

namespace Scute.Integration.Tests;

/// <summary>
/// One store shared by the tests of <see cref="PackageInstallTests"/>: the Debian base (made
/// once per run) and, built on first use, a strict environment with hello, git and make.
/// </summary>
public sealed class DebianPackagesFixture : IDisposable
{
    private readonly Lazy<(string ShortId, string Manifest, TimeSpan Took)> strict;

    public DebianPackagesFixture()
    {
        Base = new DebianBase();
        if (Base.SkipReason is null && TestUser.WithSubIds.Exists)
        {
            // The base reaches scute as Karapace's alias would: through a simplestreams server.
            Server = new ImageServerFixture();
            Server.AddRootfs("debian", "bookworm", Base.Tarball);
            Session = new ScuteSession(TestUser.WithSubIds);
            Server.Use(Session);
        }

        strict = new Lazy<(string, string, TimeSpan)>(() =>
        {
            var watch = Stopwatch.StartNew();
            var id = Session!.Build(PackageInstallTests.Manifest(PackageInstallTests.Alias, strict: true), "strict/scute.toml");
            return (id, Path.Combine(Session.Project, "strict", "scute.toml"), watch.Elapsed);
        });
    }

    public DebianBase Base { get; }

    public ImageServerFixture? Server { get; }

    public ScuteSession? Session { get; }

    public void Dispose() => Server?.Dispose();

    public (string ShortId, string Manifest, TimeSpan Took) Strict => strict.Value;

    public ScuteSession Require()
    {
        Skip.If(Base.SkipReason is not null, Base.SkipReason);
        Skip.If(Session is null, "test user scute-test does not exist (./test.sh creates it as root)");
        return Session!;
    }
}

/// <summary>
/// apt for real: a Debian bookworm base (mmdebstrap) with hello, git and make installed during
/// build, run in the strict and dev profiles, the exact versions in the lock, the Dependency
/// layer shared, --locked with a version the mirror lacks, and a user without subordinate ids.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PackageInstallTests : IClassFixture<DebianPackagesFixture>
{
    private const string Query = "${Package}\t${Version}\n";
    private readonly DebianPackagesFixture fixture;

    public PackageInstallTests(DebianPackagesFixture fixture) => this.fixture = fixture;

    public const string Alias = "debian/bookworm";

    // Strict refuses an alias until a lock pins it: the override says why this one may float.
    public static string Manifest(string image, bool strict) => $"""
        manifest_version = 1

        [base]
        image = "{image}"

        [system]
        packages = ["hello", "git", "make"]
        {(strict ? "\n[security]\nprofile = \"strict\"\nuser = 1001\ngroup = 1001\n\n[security.overrides]\nimage = \"the test serves one fixed Debian base through its own image server\"\n" : string.Empty)}
        """;

    [SkippableFact]
    public void Strict_build_installs_hello_git_and_make_and_locks_their_exact_versions()
    {
        var s = fixture.Require();
        var (id, manifest, _) = fixture.Strict;

        var hello = s.Scute("exec", id, "--", "hello");
        var git = s.Scute("exec", id, "--", "git", "--version");
        var query = s.Scute("exec", id, "--", "dpkg-query", "-W", "-f=" + Query, "git", "hello", "make");

        Assert.True(hello.ExitCode == 0, hello.ToString());
        Assert.Equal("Hello, world!", hello.Stdout.Trim());
        Assert.True(git.ExitCode == 0, git.ToString());
        Assert.StartsWith("git version 2.", git.Stdout, StringComparison.Ordinal);
        Assert.True(query.ExitCode == 0, query.ToString());
        var inside = query.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).Select(f => new ResolvedPackage(f[0], f[1])).ToList();
        Assert.Equal(inside, LockFileIo.Read(ManifestFiles.LockPathFor(manifest)).Packages);
        Assert.Equal(["git", "hello", "make"], inside.Select(p => p.Name));
    }

    [SkippableFact]
    public void Dev_build_with_the_same_base_and_packages_reuses_the_dependency_layer()
    {
        var s = fixture.Require();
        var strictBuild = fixture.Strict;
        s.Write("dev/scute.toml", Manifest(Alias, strict: false));

        var watch = Stopwatch.StartNew();
        var build = s.Scute("--json", "build", "dev/scute.toml");
        var took = watch.Elapsed;
        Assert.True(build.ExitCode == 0, build.ToString());
        var json = JsonNode.Parse(build.Stdout)!;
        var hello = s.Scute("exec", json["short_id"]!.GetValue<string>(), "--", "hello");

        Assert.False(json["packages_installed"]!.GetValue<bool>());
        Assert.True(took < strictBuild.Took, $"reuse took {took}, the install {strictBuild.Took}");
        Assert.Single(Directory.GetFiles(Path.Combine(s.Store, "images"), "*.json", SearchOption.AllDirectories), f => f.Contains("/deps/", StringComparison.Ordinal));
        Assert.True(hello.ExitCode == 0, hello.ToString());
        Assert.Equal("Hello, world!", hello.Stdout.Trim());
    }

    [SkippableFact]
    public void Locked_build_with_a_version_the_mirror_lacks_fails_in_one_line_naming_it()
    {
        var s = fixture.Require();
        var (_, manifest, _) = fixture.Strict;
        var locked = LockFileIo.Read(ManifestFiles.LockPathFor(manifest));
        var doctored = locked with { Packages = [.. locked.Packages.Select(p => p.Name == "hello" ? p with { Version = "9.9-9" } : p)] };
        s.Write("locked/scute.toml", File.ReadAllText(manifest));
        var lockPath = Path.Combine(s.Project, "locked", "scute.lock");
        LockFileIo.Write(lockPath, doctored);
        Assert.Equal(0, TestUser.Run("chown", [$"{s.User.Name}:{s.User.Name}", lockPath]).ExitCode);

        var r = s.Scute("build", "--locked", "locked/scute.toml");

        Assert.Equal(3, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("hello 9.9-9", line, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_user_without_subordinate_ids_is_told_in_one_line_what_to_add()
    {
        Skip.If(fixture.Base.SkipReason is not null, fixture.Base.SkipReason);
        Skip.If(fixture.Server is null, "test user scute-test does not exist (./test.sh creates it as root)");
        var s = new ScuteSession(TestUser.WithoutSubIds);
        fixture.Server!.Use(s);
        s.Write("scute.toml", Manifest(Alias, strict: true));

        var r = s.Scute("build");

        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("/etc/subuid", line, StringComparison.Ordinal);
        Assert.Contains("/etc/subgid", line, StringComparison.Ordinal);
        Assert.Contains("scute-nosub:", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(s.Store, "images")));
    }
}

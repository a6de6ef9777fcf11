using Scute.Manifest;
using Scute.Tests.Shared;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Operations;

/// <summary>pin rewrites only the image value, to the digest form its lock resolved, and the lock follows.</summary>
public sealed class PinOperationTests : IDisposable
{
    private const string ManifestDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string TarballSha = "2222222222222222222222222222222222222222222222222222222222222222";

    private readonly string dir = Path.Combine(Path.GetTempPath(), "scute-pin-" + Guid.NewGuid().ToString("N"));

    public PinOperationTests() => Directory.CreateDirectory(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Manifest(string image) => $"""
        # the team's base, reviewed 2026-11
        manifest_version = 1

        [base]
        image   =   "{image}"   # keep in step with CI

        [mounts]
        workspace = "./:/workspace"  # image = "{image}" in a comment stays
        """;

    private (string Path, string Text) Write(string image, LockFile? lockFile)
    {
        var path = Path.Combine(dir, "scute.toml");
        var text = Manifest(image);
        File.WriteAllText(path, text);
        if (lockFile is not null)
        {
            LockFileIo.Write(Path.Combine(dir, "scute.lock"), lockFile);
        }

        return (path, text);
    }

    [Fact]
    public void A_registry_tag_gets_its_manifest_digest_and_nothing_else_changes()
    {
        const string image = "localhost:5000/team/app:1.0";
        var (path, text) = Write(image, SampleLocks.For(image, null, null) with { BaseManifestDigest = ManifestDigest });

        var r = PinOperation.Run(path);

        var pinned = image + "@" + ManifestDigest;
        Assert.True(r.Changed);
        Assert.Equal(pinned, r.After);
        var expected = text.Replace($"image   =   \"{image}\"", $"image   =   \"{pinned}\"", StringComparison.Ordinal);
        Assert.Equal(expected, File.ReadAllText(path));
        Assert.Contains($"# image = \"{image}\" in a comment stays", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(pinned, LockFileIo.Read(Path.Combine(dir, "scute.lock")).BaseReference);
    }

    [Fact]
    public void Pinning_twice_changes_nothing_the_second_time()
    {
        const string image = "localhost:5000/team/app:1.0";
        var (path, _) = Write(image, SampleLocks.For(image, null, null) with { BaseManifestDigest = ManifestDigest });
        PinOperation.Run(path);
        var once = File.ReadAllText(path);

        var r = PinOperation.Run(path);

        Assert.False(r.Changed);
        Assert.Equal(once, File.ReadAllText(path));
    }

    [Fact]
    public void A_url_gets_the_sha256_of_its_tarball()
    {
        const string image = "https://example.org/rootfs.tar.xz";
        var (path, _) = Write(image, SampleLocks.For(image, null, TarballSha));

        var r = PinOperation.Run(path);

        Assert.Equal(image + "#sha256=" + TarballSha, r.After);
        Assert.Contains($"\"{image}#sha256={TarballSha}\"", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_stays_and_the_note_names_what_the_lock_holds()
    {
        var (path, text) = Write("debian/bookworm", SampleLocks.For("debian/bookworm", "20250101_05:24", TarballSha));

        var r = PinOperation.Run(path);

        Assert.False(r.Changed);
        Assert.Contains("20250101_05:24", r.Note, StringComparison.Ordinal);
        Assert.Equal(text, File.ReadAllText(path));
    }

    [Fact]
    public void Without_a_lock_pin_says_to_build_first()
    {
        var (path, _) = Write("localhost:5000/team/app:1.0", null);

        var e = Assert.Throws<LockException>(() => PinOperation.Run(path));

        Assert.Contains("run scute build first", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lock_for_another_image_is_refused()
    {
        var (path, text) = Write("localhost:5000/team/app:2.0", SampleLocks.For("localhost:5000/team/app:1.0", null, null) with { BaseManifestDigest = ManifestDigest });

        Assert.Throws<LockException>(() => PinOperation.Run(path));
        Assert.Equal(text, File.ReadAllText(path));
    }
}

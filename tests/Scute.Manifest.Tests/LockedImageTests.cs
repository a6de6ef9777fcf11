using Scute.Manifest.Tests.Support;
using Scute.Tests.Shared;
using Xunit;

namespace Scute.Manifest.Tests;

public sealed class LockedImageTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static LockFile Lock(string reference, string? version, string? sha256) => SampleLocks.For(reference, version, sha256);

    [Fact]
    public void Version_and_sha256_round_trip_under_base()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "scute.lock");

        LockFileIo.Write(path, Lock("debian/bookworm", "20250101_05:24", Sha));
        var read = LockFileIo.Read(path);

        Assert.Equal("20250101_05:24", read.BaseVersion);
        Assert.Equal(Sha, read.BaseSha256);
        Assert.Contains("\"version\": \"20250101_05:24\"", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Sources_without_them_write_no_version_or_sha256_key()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "scute.lock");

        LockFileIo.Write(path, Lock("builtin:busybox", null, null));

        var text = File.ReadAllText(path);
        Assert.DoesNotContain("\"version\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"sha256\"", text, StringComparison.Ordinal);
        Assert.Null(LockFileIo.Read(path).BaseSha256);
    }

    [Fact]
    public void A_lock_holding_version_and_sha256_pins_the_same_alias()
    {
        using var folder = new TempFolder();
        var manifest = Path.Combine(folder.Path, "scute.toml");
        LockFileIo.Write(Path.Combine(folder.Path, "scute.lock"), Lock("debian/bookworm", "20250101_05:24", Sha));

        var pin = LockedImage.Find(manifest, ImageReference.Parse("debian/bookworm", folder.Path));

        Assert.Equal(new ImagePin("20250101_05:24", Sha), pin);
    }

    [Theory]
    [InlineData("debian/trixie", "20250101_05:24", Sha)]
    [InlineData("debian/bookworm", null, Sha)]
    [InlineData("debian/bookworm", "20250101_05:24", null)]
    public void Another_reference_or_a_missing_field_pins_nothing(string lockedReference, string? version, string? sha256)
    {
        using var folder = new TempFolder();
        var manifest = Path.Combine(folder.Path, "scute.toml");
        LockFileIo.Write(Path.Combine(folder.Path, "scute.lock"), Lock(lockedReference, version, sha256));

        Assert.Null(LockedImage.Find(manifest, ImageReference.Parse("debian/bookworm", folder.Path)));
    }

    [Fact]
    public void A_lock_changed_by_hand_pins_nothing()
    {
        using var folder = new TempFolder();
        var lockPath = Path.Combine(folder.Path, "scute.lock");
        LockFileIo.Write(lockPath, Lock("debian/bookworm", "20250101_05:24", Sha));
        File.WriteAllText(lockPath, File.ReadAllText(lockPath).Replace("20250101_05:24", "20250102_05:24", StringComparison.Ordinal));

        Assert.Null(LockedImage.Find(Path.Combine(folder.Path, "scute.toml"), ImageReference.Parse("debian/bookworm", folder.Path)));
    }

    [Fact]
    public void A_url_lock_pins_by_sha256_alone_unless_the_url_names_another()
    {
        using var folder = new TempFolder();
        var manifest = Path.Combine(folder.Path, "scute.toml");
        const string url = "https://example.com/rootfs.tar";
        LockFileIo.Write(Path.Combine(folder.Path, "scute.lock"), Lock(url, null, Sha));

        Assert.Equal(new ImagePin(null, Sha), LockedImage.Find(manifest, ImageReference.Parse(url, folder.Path)));
        LockFileIo.Write(Path.Combine(folder.Path, "scute.lock"), Lock(url + "#sha256=" + new string('f', 64), null, Sha));
        Assert.Null(LockedImage.Find(manifest, ImageReference.Parse(url + "#sha256=" + new string('f', 64), folder.Path)));
    }
}

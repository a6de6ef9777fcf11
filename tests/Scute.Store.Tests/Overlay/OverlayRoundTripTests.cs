using System.Diagnostics;
using System.Formats.Tar;
using Scute.Store.Overlay;
using Scute.Store.Tar;
using Scute.Store.Tests.Tar;

namespace Scute.Store.Tests.Overlay;

public sealed class OverlayRoundTripTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "scute-overlay-" + Guid.NewGuid().ToString("N"));

    public OverlayRoundTripTests() => Directory.CreateDirectory(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Diff_lists_added_modified_and_removed_paths()
    {
        var lower = Dir("lower");
        File.WriteAllText(Path.Combine(Dir("lower/etc"), "hosts"), "lower");
        File.WriteAllText(Path.Combine(lower, "etc", "gone"), "lower");
        File.WriteAllText(Path.Combine(Dir("lower/opt/app/lib"), "a.so"), "lower");
        File.WriteAllText(Path.Combine(lower, "opt", "app", "keep"), "lower");
        var upper = Dir("upper");
        File.WriteAllText(Path.Combine(Dir("upper/etc"), "hosts"), "changed");
        File.WriteAllText(Path.Combine(upper, "etc", "new"), "added");
        Mknod(Path.Combine(upper, "etc", "gone"));
        Mknod(Path.Combine(upper, "nothing-below")); // a whiteout over nothing changes nothing
        File.WriteAllText(Path.Combine(Dir("upper/home/me"), "notes"), "added");
        TarTestHelpers.MakeOpaque(upper, "opt/app");
        File.WriteAllText(Path.Combine(upper, "opt", "app", "keep"), "again");

        var changes = UpperDiff.Compute(upper, [lower]);

        Assert.Equal(
            [
                new PathChange("/etc/gone", ChangeKind.Removed),
                new PathChange("/etc/hosts", ChangeKind.Modified),
                new PathChange("/etc/new", ChangeKind.Added),
                new PathChange("/home", ChangeKind.Added),
                new PathChange("/home/me", ChangeKind.Added),
                new PathChange("/home/me/notes", ChangeKind.Added),
                new PathChange("/opt/app/keep", ChangeKind.Modified),
                new PathChange("/opt/app/lib", ChangeKind.Removed),
            ],
            changes);
    }

    [Fact]
    public void Commit_then_restore_gives_back_exactly_the_committed_tree()
    {
        var upper = Dir("upper");
        File.WriteAllText(Path.Combine(Dir("upper/etc"), "conf"), "v1");
        File.SetUnixFileMode(Path.Combine(upper, "etc", "conf"), (UnixFileMode)0b110_100_000);
        File.CreateSymbolicLink(Path.Combine(upper, "etc", "link"), "/etc/conf");
        Mknod(Path.Combine(upper, "etc", "removed"));
        TarTestHelpers.MakeOpaque(upper, "var/cache");
        File.WriteAllBytes(Path.Combine(upper, "var", "cache", "big"), new byte[300_000]);

        using var tar = new MemoryStream();
        DeterministicTarPacker.Pack(upper, tar, overlayUpper: true);
        tar.Position = 0;
        var restored = Path.Combine(root, "restored");
        SafeTarExtractor.Extract(tar, restored, new ExtractOptions { OverlayWhiteouts = true });

        Assert.Equal(TreeDigest.Compute(upper), TreeDigest.Compute(restored));
        Assert.True(OverlayMarks.IsWhiteout(Path.Combine(restored, "etc", "removed")));
        Assert.True(OverlayMarks.IsOpaque(Path.Combine(restored, "var", "cache")));
        Assert.False(File.Exists(Path.Combine(restored, "var", "cache", OverlayMarks.OpaqueMarker)));
    }

    [Fact]
    public void Images_never_get_whiteouts_or_opaque_marks()
    {
        var upper = Dir("upper");
        Mknod(Path.Combine(upper, "wh"));
        TarTestHelpers.MakeOpaque(upper, "d");
        using var tar = new MemoryStream();
        DeterministicTarPacker.Pack(upper, tar, overlayUpper: true);
        tar.Position = 0;
        var image = Path.Combine(root, "image");

        var result = SafeTarExtractor.Extract(tar, image);

        Assert.Equal(1, result.SkippedDevices);
        Assert.False(OverlayMarks.IsWhiteout(Path.Combine(image, "wh")));
        Assert.True(File.Exists(Path.Combine(image, "d", OverlayMarks.OpaqueMarker)));
    }

    private string Dir(string relative)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(path);
        return path;
    }

    private static void Mknod(string path)
    {
        using var p = Process.Start("mknod", ["-m", "000", path, "c", "0", "0"]);
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }
}

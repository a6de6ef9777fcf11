using System.Formats.Tar;
using System.Text;
using Scute.Store.Overlay;
using Scute.Store.Tar;

namespace Scute.Store.Tests.Tar;

/// <summary>
/// The walks over an environment's tree (pack, digest, diff) while an entry is swapped for a
/// symlink to an outside folder after its folder was listed and before it is opened: what a
/// process racing renameat2(RENAME_EXCHANGE) does. Nothing outside may ever be read.
/// </summary>
public sealed class SymlinkSwapTests : IDisposable
{
    private const string Secret = "host-secret-7f3a9c";
    private readonly TempDir tmp = new();
    private readonly string outside;
    private readonly string tree;

    public SymlinkSwapTests()
    {
        outside = tmp.Combine("outside");
        Directory.CreateDirectory(Path.Combine(outside, "sub"));
        File.WriteAllText(Path.Combine(outside, "secret.txt"), Secret);
        File.WriteAllText(Path.Combine(outside, "sub", "deeper.txt"), Secret);

        tree = tmp.Combine("tree");
        Directory.CreateDirectory(Path.Combine(tree, "a"));
        File.WriteAllText(Path.Combine(tree, "a", "inside.txt"), "inside");
        File.WriteAllText(Path.Combine(tree, "file.txt"), "plain");
        File.CreateSymbolicLink(Path.Combine(tree, "link"), "a/inside.txt");
    }

    public void Dispose() => tmp.Dispose();

    [Fact]
    public void Pack_refuses_a_folder_swapped_for_a_symlink_and_reads_nothing_outside()
    {
        using var output = new MemoryStream();

        var e = Assert.Throws<TreeChangedException>(() =>
            DeterministicTarPacker.Pack(tree, output, overlayUpper: true, SwapAt("a/", outside)));

        Assert.Equal("a/", e.EntryPath);
        Assert.Contains("changed from a folder to a symlink", e.Message, StringComparison.Ordinal);
        AssertNoSecret(output.ToArray());
    }

    [Fact]
    public void Pack_refuses_a_file_swapped_for_a_symlink_to_an_outside_file()
    {
        using var output = new MemoryStream();

        var e = Assert.Throws<TreeChangedException>(() =>
            DeterministicTarPacker.Pack(tree, output, overlayUpper: false, SwapAt("file.txt", Path.Combine(outside, "secret.txt"))));

        Assert.Equal("file.txt", e.EntryPath);
        AssertNoSecret(output.ToArray());
    }

    [Fact]
    public void Pack_refuses_a_symlink_that_became_a_folder()
    {
        void MakeFolder(string relative)
        {
            if (relative == "link")
            {
                File.Delete(Path.Combine(tree, "link"));
                Directory.CreateDirectory(Path.Combine(tree, "link"));
            }
        }

        var e = Assert.Throws<TreeChangedException>(() => DeterministicTarPacker.Pack(tree, Stream.Null, overlayUpper: false, MakeFolder));

        Assert.Contains("changed from a symlink to a folder", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_leaves_out_an_entry_removed_before_it_is_opened()
    {
        void Remove(string relative)
        {
            if (relative == "file.txt")
            {
                File.Delete(Path.Combine(tree, "file.txt"));
            }
        }

        using var output = new MemoryStream();
        DeterministicTarPacker.Pack(tree, output, overlayUpper: false, Remove);

        Assert.Equal(["a/", "a/inside.txt", "link"], Names(output.ToArray()));
    }

    [Fact]
    public void A_symlink_to_an_outside_folder_is_packed_as_a_symlink()
    {
        File.CreateSymbolicLink(Path.Combine(tree, "escape"), outside);
        using var output = new MemoryStream();

        DeterministicTarPacker.Pack(tree, output, overlayUpper: true);

        Assert.Equal(["a/", "a/inside.txt", "escape", "file.txt", "link"], Names(output.ToArray()));
        AssertNoSecret(output.ToArray());
    }

    [Fact]
    public void Digest_refuses_a_folder_swapped_for_a_symlink()
    {
        var e = Assert.Throws<TreeChangedException>(() => TreeDigest.Compute(tree, SwapAt("a/", outside)));

        Assert.Equal("a/", e.EntryPath);
    }

    [Fact]
    public void Diff_refuses_an_upper_folder_swapped_for_a_symlink()
    {
        var lower = tmp.Combine("lower");
        Directory.CreateDirectory(lower);

        var e = Assert.Throws<TreeChangedException>(() => UpperDiff.Compute(tree, [lower], SwapAt("a/", outside)));

        Assert.Equal("a/", e.EntryPath);
    }

    [Fact]
    public void Diff_never_follows_an_absolute_symlink_in_the_lower()
    {
        // An image whose /opt and /etc are absolute symlinks, here to folders on the host.
        var lower = tmp.Combine("lower");
        Directory.CreateDirectory(lower);
        var hostOpt = tmp.Combine("host-opt");
        Directory.CreateDirectory(Path.Combine(hostOpt, "app"));
        File.WriteAllText(Path.Combine(hostOpt, "app", "host-only.txt"), Secret);
        File.CreateSymbolicLink(Path.Combine(lower, "opt"), hostOpt);
        var hostEtc = tmp.Combine("host-etc");
        Directory.CreateDirectory(hostEtc);
        File.WriteAllText(Path.Combine(hostEtc, "passwd"), Secret);
        File.CreateSymbolicLink(Path.Combine(lower, "etc"), hostEtc);

        // The environment made real folders there: /opt/app opaque, and its own /etc/passwd.
        var upper = tmp.Combine("upper");
        TarTestHelpers.MakeOpaque(upper, "opt/app");
        File.WriteAllText(Path.Combine(upper, "opt", "app", "new.txt"), "mine");
        Directory.CreateDirectory(Path.Combine(upper, "etc"));
        File.WriteAllText(Path.Combine(upper, "etc", "passwd"), "mine");

        var changes = UpperDiff.Compute(upper, [lower]);

        Assert.Equal(
            [
                new PathChange("/etc", ChangeKind.Modified),
                new PathChange("/etc/passwd", ChangeKind.Added),
                new PathChange("/opt", ChangeKind.Modified),
                new PathChange("/opt/app", ChangeKind.Added),
                new PathChange("/opt/app/new.txt", ChangeKind.Added),
            ],
            changes);
    }

    [Fact]
    public void Diff_of_an_opaque_folder_does_not_follow_an_upper_symlink_over_a_lower_folder()
    {
        // Below the opaque /srv, the upper's "data" is a symlink to the host where the lower had a folder.
        var lower = tmp.Combine("lower");
        Directory.CreateDirectory(Path.Combine(lower, "srv", "data"));
        File.WriteAllText(Path.Combine(lower, "srv", "data", "secret.txt"), "lower");
        var upper = tmp.Combine("upper");
        TarTestHelpers.MakeOpaque(upper, "srv");
        File.CreateSymbolicLink(Path.Combine(upper, "srv", "data"), outside);

        var changes = UpperDiff.Compute(upper, [lower]);

        // outside/secret.txt exists, but through a symlink: the lower's data/secret.txt is gone from the merged view.
        Assert.Equal(
            [
                new PathChange("/srv/data", ChangeKind.Modified),
                new PathChange("/srv/data/secret.txt", ChangeKind.Removed),
            ],
            changes);
    }

    /// <summary>A hook that, when the walk is about to open <paramref name="relative"/>, puts a symlink to <paramref name="target"/> in its place.</summary>
    private Action<string> SwapAt(string relative, string target) => seen =>
    {
        if (seen != relative)
        {
            return;
        }

        var path = Path.Combine(tree, relative.TrimEnd('/'));
        var aside = tmp.Combine("aside-" + Guid.NewGuid().ToString("N"));
        if (relative.EndsWith('/'))
        {
            Directory.Move(path, aside);
        }
        else
        {
            File.Move(path, aside);
        }

        File.CreateSymbolicLink(path, target);
    };

    private static void AssertNoSecret(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret.txt", text, StringComparison.Ordinal);
        Assert.DoesNotContain("deeper.txt", text, StringComparison.Ordinal);
    }

    private static List<string> Names(byte[] tar)
    {
        using var reader = new TarReader(new MemoryStream(tar));
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
        }

        return names;
    }
}

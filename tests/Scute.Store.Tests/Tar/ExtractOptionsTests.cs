using Scute.Store.Tar;
using static Scute.Store.Tests.Tar.TarTestHelpers;

namespace Scute.Store.Tests.Tar;

/// <summary>The OCI whiteout and entry-filter options of the safe extractor.</summary>
public sealed class ExtractOptionsTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Whiteout_markers_are_plain_files_unless_oci_whiteouts_are_asked_for()
    {
        var plain = _tmp.Combine("plain");
        var oci = _tmp.Combine("oci");
        foreach (var target in new[] { plain, oci })
        {
            SafeTarExtractor.Extract(Build(File("a", "1")), target);
        }

        SafeTarExtractor.Extract(Build(File(".wh.a", "")), plain);
        SafeTarExtractor.Extract(Build(File(".wh.a", "")), oci, new ExtractOptions { OciWhiteouts = true });

        Assert.True(System.IO.File.Exists(Path.Combine(plain, ".wh.a")));
        Assert.True(System.IO.File.Exists(Path.Combine(plain, "a")));
        Assert.Empty(Directory.GetFileSystemEntries(oci));
    }

    [Fact]
    public void Include_writes_only_the_chosen_entries_but_still_refuses_unsafe_names()
    {
        var target = _tmp.Combine("t");

        SafeTarExtractor.Extract(Build(Dir("blobs/"), File("blobs/big", "xxxxxxxx"), File("blobs/small", "x"), File("index.json", "{}")), target,
            new ExtractOptions { Include = (name, size) => !name.StartsWith("blobs/", StringComparison.Ordinal) || size < 4 });

        Assert.Equal(["blobs", "blobs/small", "index.json"], Snapshot(target).Select(p => Path.GetRelativePath(target, p)));
        Assert.Throws<UnsafeArchiveException>(() =>
            SafeTarExtractor.Extract(Build(File("../escape")), target, new ExtractOptions { Include = (_, _) => false }));
    }
}

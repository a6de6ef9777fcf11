using System.Formats.Tar;
using System.Text;
using Scute.Store.Tar;

namespace Scute.Store.Tests.Tar;

public sealed class OciLayerConverterTests
{
    /// <summary>A Scute layer as the packer writes an overlay upper: a file, a link, a whiteout and an opaque folder.</summary>
    private static byte[] ScuteLayer(string content = "hello")
    {
        using var buffer = new MemoryStream();
        using (var w = new TarWriter(buffer, TarEntryFormat.Gnu, leaveOpen: true))
        {
            w.WriteEntry(Entry(TarEntryType.Directory, "etc/"));
            var file = Entry(TarEntryType.RegularFile, "etc/motd");
            file.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
            w.WriteEntry(file);
            var link = Entry(TarEntryType.SymbolicLink, "etc/link");
            link.LinkName = "motd";
            w.WriteEntry(link);
            var whiteout = Entry(TarEntryType.CharacterDevice, "etc/removed");
            whiteout.DeviceMajor = 0;
            whiteout.DeviceMinor = 0;
            w.WriteEntry(whiteout);
            w.WriteEntry(Entry(TarEntryType.Directory, "var/cache/"));
            w.WriteEntry(Entry(TarEntryType.RegularFile, "var/cache/.wh..wh..opq"));
        }

        return buffer.ToArray();
    }

    private static GnuTarEntry Entry(TarEntryType type, string name) => new(type, name)
    {
        Mode = (UnixFileMode)0x1A4,
        ModificationTime = DateTimeOffset.UnixEpoch,
        AccessTime = DateTimeOffset.UnixEpoch,
        ChangeTime = DateTimeOffset.UnixEpoch,
    };

    private static byte[] Convert(byte[] layer)
    {
        using var output = new MemoryStream();
        OciLayerConverter.Convert(new MemoryStream(layer), output);
        return output.ToArray();
    }

    private static List<(string Name, TarEntryType Type, string Data, string Link)> Read(byte[] tar)
    {
        var list = new List<(string, TarEntryType, string, string)>();
        using var r = new TarReader(new MemoryStream(tar));
        while (r.GetNextEntry(copyData: true) is { } e)
        {
            var data = e.DataStream is null ? "" : new StreamReader(e.DataStream).ReadToEnd();
            list.Add((e.Name, e.EntryType, data, e.LinkName));
        }

        return list;
    }

    [Fact]
    public void Overlay_whiteouts_become_oci_whiteout_files_and_the_rest_is_kept()
    {
        var entries = Read(Convert(ScuteLayer()));

        Assert.Equal(["etc/", "etc/motd", "etc/link", "etc/.wh.removed", "var/cache/", "var/cache/.wh..wh..opq"], entries.Select(e => e.Name));
        Assert.Equal("hello", entries[1].Data);
        Assert.Equal("motd", entries[2].Link);
        Assert.Equal(TarEntryType.RegularFile, entries[3].Type);
        Assert.DoesNotContain(entries, e => e.Type == TarEntryType.CharacterDevice);
    }

    [Fact]
    public void Same_layer_same_bytes_and_a_changed_file_changes_them()
    {
        Assert.Equal(Convert(ScuteLayer()), Convert(ScuteLayer()));
        Assert.NotEqual(Convert(ScuteLayer()), Convert(ScuteLayer("changed")));
    }

    [Fact]
    public void A_packed_tree_converts_with_its_contents_intact()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("big"), new string('x', 300_000));
        using var packed = new MemoryStream();
        DeterministicTarPacker.Pack(dir.Path, packed);

        var entries = Read(Convert(packed.ToArray()));

        Assert.Equal(300_000, entries.Single(e => e.Name.EndsWith("big", StringComparison.Ordinal)).Data.Length);
    }

    [Theory]
    [InlineData("a", ".wh.a")]
    [InlineData("etc/x", "etc/.wh.x")]
    [InlineData("etc/dir/", "etc/.wh.dir")]
    public void Whiteout_names(string path, string marker) => Assert.Equal(marker, OciLayerConverter.WhiteoutName(path));
}

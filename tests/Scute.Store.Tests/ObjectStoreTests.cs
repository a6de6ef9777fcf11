using System.Text;

namespace Scute.Store.Tests;

public class ObjectStoreTests
{
    [Fact]
    public void Round_trip_is_idempotent_and_read_only()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.Open(tmp.Path, create: true);
        var data = Encoding.UTF8.GetBytes("some object content");
        var d = store.Objects.Put(new MemoryStream(data));
        Assert.Equal(Digest.Compute(data), d);
        Assert.Equal(d, store.Objects.Put(new MemoryStream(data)));
        Assert.True(store.Objects.Contains(d));
        Assert.Equal([d], store.Objects.List());

        using (var read = store.Objects.OpenRead(d))
        using (var copy = new MemoryStream())
        {
            read.CopyTo(copy);
            Assert.Equal(data, copy.ToArray());
        }

        store.Objects.Verify(d);
        var path = Path.Combine(store.Layout.ObjectsDir, d.Hex);
        Assert.Equal((UnixFileMode)0b100_100_100, File.GetUnixFileMode(path));
        Assert.Empty(Directory.GetFileSystemEntries(store.Layout.StagingDir));

        store.Objects.Delete(d);
        Assert.False(store.Objects.Contains(d));
        Assert.Empty(store.Objects.List());
    }

    [Fact]
    public void PutFile_stores_file_content()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.Open(tmp.Combine("root"), create: true);
        var file = tmp.Combine("input");
        File.WriteAllBytes(file, new byte[300_000]);
        Assert.Equal(Digest.Compute(new byte[300_000]), store.Objects.PutFile(file));
    }

    [Fact]
    public void Flipped_byte_is_detected_on_read_and_verify()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.Open(tmp.Path, create: true);
        var d = store.Objects.Put(new MemoryStream(Encoding.UTF8.GetBytes("precious bytes")));
        var path = Path.Combine(store.Layout.ObjectsDir, d.Hex);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        var bytes = File.ReadAllBytes(path);
        bytes[3] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<StoreCorruptionException>(() =>
        {
            using var read = store.Objects.OpenRead(d);
            read.CopyTo(Stream.Null);
        });
        Assert.Equal(path, ex.ItemPath);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Throws<StoreCorruptionException>(() => store.Objects.Verify(d));
    }

    [Fact]
    public void Missing_object_is_a_store_error()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.Open(tmp.Path, create: true);
        var ex = Assert.Throws<StoreException>(() => store.Objects.OpenRead(Digest.Compute([1])));
        Assert.IsNotType<StoreCorruptionException>(ex);
    }
}

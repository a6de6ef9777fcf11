using System.Text;

namespace Scute.Store.Tests;

public class ObjectStoreTests
{
    [Fact]
    public void Put_with_an_expected_digest_keeps_matching_content_and_nothing_of_a_mismatch()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        var good = Encoding.UTF8.GetBytes("the blob");
        var expected = Digest.Compute(good);

        var e = Assert.Throws<ContentDigestMismatchException>(() => store.Objects.Put(new MemoryStream(Encoding.UTF8.GetBytes("tampered")), expected, "registry blob"));
        Assert.Contains("registry blob", e.Message);
        Assert.False(store.Objects.Contains(expected));
        Assert.Empty(store.Objects.List());
        Assert.Empty(Directory.GetFileSystemEntries(store.Layout.StagingDir));

        Assert.Equal(expected, store.Objects.Put(new MemoryStream(good), expected, "registry blob"));
        Assert.True(store.Objects.Contains(expected));
    }

    [Fact]
    public void An_external_stream_that_does_not_match_is_a_digest_mismatch_once_read_to_the_end()
    {
        var content = Encoding.UTF8.GetBytes("layout blob");
        using var ok = HashingReadStream.ForExternal(new MemoryStream(content), Digest.Compute(content), "ok");
        using var bad = HashingReadStream.ForExternal(new MemoryStream(content), Digest.Compute("other"u8), "layout blob sha256:...");

        ok.ReadToEndAndVerify();
        var e = Assert.Throws<ContentDigestMismatchException>(bad.ReadToEndAndVerify);
        Assert.Equal("layout blob sha256:...", e.Origin);
    }

    [Fact]
    public void Round_trip_is_idempotent_and_read_only()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
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
        var store = ScuteStore.OpenOrCreate(tmp.Combine("root"));
        var file = tmp.Combine("input");
        File.WriteAllBytes(file, new byte[300_000]);
        Assert.Equal(Digest.Compute(new byte[300_000]), store.Objects.PutFile(file));
    }

    [Fact]
    public void Flipped_byte_is_detected_on_read_and_verify()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
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
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        var ex = Assert.Throws<StoreException>(() => store.Objects.OpenRead(Digest.Compute([1])));
        Assert.IsNotType<StoreCorruptionException>(ex);
    }

    [Fact]
    public void Staged_content_from_a_producer_thread_is_an_object_only_once_committed()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        var data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(data);

        using (var dropped = store.Objects.Stage(output => output.Write(data)))
        {
            Assert.Equal(Digest.Compute(data), dropped.Digest);
            using var read = dropped.OpenRead();
            read.ReadToEndAndVerify();
        }

        Assert.Empty(store.Objects.List());
        Assert.Empty(Directory.GetFileSystemEntries(store.Layout.StagingDir));

        using (var kept = store.Objects.Stage(output => output.Write(data)))
        {
            Assert.Equal(Digest.Compute(data), kept.Commit());
        }

        Assert.Equal([Digest.Compute(data)], store.Objects.List());
        store.Objects.Verify(Digest.Compute(data));
        Assert.Empty(Directory.GetFileSystemEntries(store.Layout.StagingDir));
    }

    [Fact]
    public void A_producer_that_fails_half_way_is_the_error_and_leaves_nothing()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);

        var e = Assert.Throws<IOException>(() => store.Objects.Stage(output =>
        {
            output.Write(new byte[5 * 1024 * 1024]);
            throw new IOException("the folder changed under the packer");
        }));

        Assert.Equal("the folder changed under the packer", e.Message);
        Assert.Empty(store.Objects.List());
        Assert.Empty(Directory.GetFileSystemEntries(store.Layout.StagingDir));
    }
}

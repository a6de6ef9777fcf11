namespace Scute.Store.Tests;

/// <summary>An object read and hashed ahead on another thread: same bytes, same refusal of corruption, no hang when left early.</summary>
public sealed class ReadAheadObjectStreamTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly ScuteStore _store;

    public ReadAheadObjectStreamTests() => _store = ScuteStore.OpenOrCreate(_tmp.Path);

    public void Dispose() => _tmp.Dispose();

    private static byte[] Content(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3 * 1024 * 1024 + 17)]
    public void Hands_over_exactly_the_object_in_odd_sized_reads(int length)
    {
        var content = Content(length);
        var d = _store.Objects.Put(new MemoryStream(content));
        using var read = _store.Objects.OpenReadAhead(d);
        using var copy = new MemoryStream();
        var buffer = new byte[7777];
        int n;
        while ((n = read.Read(buffer, 0, buffer.Length)) > 0)
        {
            copy.Write(buffer, 0, n);
        }

        Assert.Equal(content, copy.ToArray());
        read.ReadToEndAndVerify();
    }

    [Fact]
    public void A_flipped_byte_fails_the_end_of_the_stream_not_before()
    {
        var content = Content(2 * 1024 * 1024);
        var d = _store.Objects.Put(new MemoryStream(content));
        var path = Path.Combine(_store.Layout.ObjectsDir, d.Hex);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        content[1_500_000] ^= 0x01;
        File.WriteAllBytes(path, content);

        using var read = _store.Objects.OpenReadAhead(d);
        var head = new byte[1024];
        read.ReadExactly(head);
        var ex = Assert.Throws<StoreCorruptionException>(read.ReadToEndAndVerify);
        Assert.Equal(path, ex.ItemPath);
    }

    [Fact]
    public async Task Disposing_after_a_partial_read_stops_the_reader()
    {
        var d = _store.Objects.Put(new MemoryStream(Content(8 * 1024 * 1024)));
        var read = _store.Objects.OpenReadAhead(d);
        read.ReadExactly(new byte[10]);
        var disposed = Task.Run(read.Dispose);
        Assert.Same(disposed, await Task.WhenAny(disposed, Task.Delay(TimeSpan.FromSeconds(30))));
    }
}

namespace Scute.Images.Download;

/// <summary>
/// Read-only pass-through that refuses to return more than a limit: a document that is read whole
/// (an index) cannot grow without bound because the server keeps sending.
/// </summary>
public sealed class BoundedReadStream : Scute.Store.ReadOnlyForwardStream
{
    private readonly Stream inner;
    private readonly long limit;
    private readonly string name;
    private long read;

    public BoundedReadStream(Stream inner, long limit, string name)
    {
        this.inner = inner;
        this.limit = limit;
        this.name = name;
    }

    public override long Position
    {
        get => read;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        read += n;
        return read > limit ? throw new ImageException($"{name} is larger than {limit / (1024 * 1024)} MiB; refused") : n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        read += n;
        return read > limit ? throw new ImageException($"{name} is larger than {limit / (1024 * 1024)} MiB; refused") : n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

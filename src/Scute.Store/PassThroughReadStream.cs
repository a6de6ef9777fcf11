namespace Scute.Store;

/// <summary>
/// A read-only, forward-only view of another stream. It hides seeking (TarReader on a seekable
/// source jumps over entry data by the header's claimed size, so a lying header would surface as
/// odd seek errors; forward-only, every source behaves like a pipe and a short stream is an early
/// end of data), and decides what disposing it disposes: the inner stream or not, plus owners
/// such as an HTTP response whose body this is.
/// </summary>
public sealed class PassThroughReadStream(Stream inner, bool ownsInner, params IDisposable[] alsoDispose) : ReadOnlyForwardStream
{
    /// <summary>Bytes handed out by <see cref="Read(Span{byte})"/> so far.</summary>
    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        BytesRead += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        BytesRead += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (ownsInner)
            {
                inner.Dispose();
            }

            foreach (var owner in alsoDispose)
            {
                owner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}

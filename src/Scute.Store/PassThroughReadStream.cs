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
    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

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

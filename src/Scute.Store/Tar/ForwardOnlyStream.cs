namespace Scute.Store.Tar;

/// <summary>
/// Hides seeking from TarReader. On a seekable source TarReader jumps over
/// each entry's data by its claimed size, so a lying header surfaces as odd
/// seek errors; read forward-only, every source behaves like a pipe and a
/// short stream is simply an early end of data, which the extractor reports.
/// </summary>
internal sealed class ForwardOnlyStream(Stream inner) : ReadOnlyForwardStream
{
    public override int Read(Span<byte> buffer) => inner.Read(buffer);
}

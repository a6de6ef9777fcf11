namespace Scute.Store.Tar;

/// <summary>
/// Hides seeking from TarReader. On a seekable source TarReader jumps over
/// each entry's data by its claimed size, so a lying header surfaces as odd
/// seek errors; read forward-only, every source behaves like a pipe and a
/// short stream is simply an early end of data, which the extractor reports.
/// </summary>
internal sealed class ForwardOnlyStream(Stream inner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

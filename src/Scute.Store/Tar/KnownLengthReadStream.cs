namespace Scute.Store.Tar;

/// <summary>
/// A forward-only read stream that tells its length and position, so TarWriter can copy a
/// tar entry's data straight from another archive without buffering it.
/// </summary>
internal sealed class KnownLengthReadStream(Stream inner, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var want = (int)Math.Min(buffer.Length, length - _position);
        if (want <= 0)
        {
            return 0;
        }

        var n = inner.Read(buffer[..want]);
        if (n == 0)
        {
            throw new EndOfStreamException($"tar entry data ended after {_position} of {length} bytes");
        }

        _position += n;
        return n;
    }

    /// <summary>Only "stay where you are" is possible: the source cannot go back.</summary>
    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        return target == _position ? _position : throw new NotSupportedException("the tar entry data can only be read forward");
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

namespace Scute.Store;

/// <summary>
/// A stream that is only written forward (no read, no seek): subclasses pass the bytes on in
/// <see cref="Write(ReadOnlySpan{byte})"/> and count them; Length and Position are that count.
/// </summary>
public abstract class WriteOnlyForwardStream : Stream
{
    public long Written { get; protected set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => Written;

    public override long Position
    {
        get => Written;
        set => throw new NotSupportedException();
    }

    public abstract override void Write(ReadOnlySpan<byte> buffer);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

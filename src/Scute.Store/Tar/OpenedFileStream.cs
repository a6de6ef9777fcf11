using Microsoft.Win32.SafeHandles;
using Scute.Core.Interop;

namespace Scute.Store.Tar;

/// <summary>
/// Reads exactly <c>length</c> bytes (the size fstat gave when the walk opened the file) from a
/// descriptor the walk owns, with pread, so the content streams from the inode that was opened
/// and never from whatever the path names later. Seekable with a fixed Length, so TarWriter
/// writes a header whose size matches the bytes that follow even if the file grows meanwhile;
/// a file that shrinks fails the read.
/// </summary>
internal sealed class OpenedFileStream(SafeFileHandle file, long length, string relativePath) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value is >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var wanted = (int)Math.Min(buffer.Length, Math.Max(0, length - _position));
        if (wanted == 0)
        {
            return 0;
        }

        // pread itself rather than RandomAccess: no lseek per file to learn the handle is seekable.
        nint n;
        unsafe
        {
            fixed (byte* p = buffer)
            {
                n = Libc.pread(ConfinedTree.Fd(file), p, (nuint)wanted, _position);
            }
        }

        if (n < 0)
        {
            throw new IOException($"cannot read '{relativePath}': {Interop.ErrorText(Interop.LastError)}");
        }

        if (n == 0)
        {
            throw new IOException($"'{relativePath}' shrank while it was being read ({_position} of {length} bytes)");
        }

        _position += n;
        return (int)n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

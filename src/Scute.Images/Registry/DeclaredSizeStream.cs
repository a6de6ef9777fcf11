using Scute.Store;

namespace Scute.Images.Registry;

/// <summary>
/// Stops a blob at the size its descriptor declares: a registry that keeps sending (by mistake or
/// to fill the disk) is cut off at the first byte too many, not after the digest check at the end.
/// </summary>
internal sealed class DeclaredSizeStream(Stream inner, long declared, string what) : ReadOnlyForwardStream
{
    private long _read;

    public override int Read(Span<byte> buffer)
    {
        // Ask for one byte past the limit at most, so an overrun is seen without reading far.
        var room = (int)Math.Min(buffer.Length, declared - _read + 1);
        var n = inner.Read(buffer[..Math.Max(room, 0)]);
        _read += n;
        if (_read > declared)
        {
            throw new ContentDigestMismatchException($"{what}: more than the {declared} bytes its descriptor declares; nothing of it was kept");
        }

        return n;
    }
}

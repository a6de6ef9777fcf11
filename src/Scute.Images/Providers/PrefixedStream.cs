namespace Scute.Images.Providers;

/// <summary>A read-only, forward-only stream: some bytes already read, then the rest of the source.</summary>
internal sealed class PrefixedStream : Scute.Store.ReadOnlyForwardStream
{
    private readonly Stream rest;
    private ReadOnlyMemory<byte> prefix;
    private long position;

    public PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest)
    {
        this.prefix = prefix;
        this.rest = rest;
    }

    /// <summary>Bytes read so far (the xz decoder aligns blocks by it); setting it is not supported.</summary>
    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        int n;
        if (prefix.IsEmpty)
        {
            n = rest.Read(buffer);
        }
        else
        {
            n = Math.Min(buffer.Length, prefix.Length);
            prefix.Span[..n].CopyTo(buffer);
            prefix = prefix[n..];
        }

        position += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            rest.Dispose();
        }

        base.Dispose(disposing);
    }
}

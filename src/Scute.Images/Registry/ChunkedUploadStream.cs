namespace Scute.Images.Registry;

/// <summary>
/// A write-only stream that sends what is written as PATCH chunks of a fixed size, holding one
/// chunk in memory at a time; <see cref="Finish"/> closes the upload with the last bytes and the digest.
/// </summary>
internal sealed class ChunkedUploadStream(RegistryClient client, string repository, Uri location, int chunkSize, CancellationToken ct) : Stream
{
    private readonly byte[] _buffer = new byte[chunkSize];
    private int _filled;
    private long _sent;
    private Uri _location = location;

    public int Chunks { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _sent + _filled;

    public override long Position
    {
        get => Length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var n = Math.Min(buffer.Length, _buffer.Length - _filled);
            buffer[..n].CopyTo(_buffer.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
            if (_filled == _buffer.Length)
            {
                SendChunk();
            }
        }
    }

    /// <summary>Sends what is left (possibly nothing) with the closing PUT.</summary>
    public void Finish(Digest digest)
    {
        if (_filled > 0)
        {
            SendChunk();
        }

        client.FinishUploadAsync(repository, _location, digest, new ByteArrayContent([]), ct).GetAwaiter().GetResult();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void SendChunk()
    {
        _location = client.PatchChunkAsync(repository, _location, _buffer, _filled, _sent, ct).GetAwaiter().GetResult();
        _sent += _filled;
        _filled = 0;
        Chunks++;
    }
}

using System.Security.Cryptography;

namespace Scute.Store;

/// <summary>
/// Read-only pass-through that hashes what it returns and, at end of stream,
/// refuses to finish if the content is not what its name promised.
/// </summary>
internal sealed class HashingReadStream : ReadOnlyForwardStream
{
    private readonly Stream _inner;
    private readonly Digest _expected;
    private readonly string _itemPath;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _checked;

    public HashingReadStream(Stream inner, Digest expected, string itemPath)
    {
        _inner = inner;
        _expected = expected;
        _itemPath = itemPath;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        if (n > 0)
        {
            _hash.AppendData(buffer[..n]);
        }
        else if (buffer.Length > 0)
        {
            CheckAtEnd();
        }

        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (n > 0)
        {
            _hash.AppendData(buffer.Span[..n]);
        }
        else if (buffer.Length > 0)
        {
            CheckAtEnd();
        }

        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void CheckAtEnd()
    {
        if (_checked)
        {
            return;
        }

        _checked = true;
        var actual = Digest.FromHash(_hash.GetHashAndReset());
        if (actual != _expected)
        {
            throw new StoreCorruptionException(_itemPath, $"content hashes to {actual}, expected {_expected}");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}

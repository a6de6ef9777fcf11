using System.Security.Cryptography;
using Scute.Store;

namespace Scute.Engine.Export;

/// <summary>Passes writes on (or drops them) while hashing and counting them: a blob's digest and size without keeping it.</summary>
internal sealed class DigestingWriteStream(Stream? inner) : WriteOnlyForwardStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public OciBlob Finish() => new(new Digest(Convert.ToHexStringLower(_hash.GetHashAndReset())), Written);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        inner?.Write(buffer);
        Written += buffer.Length;
    }

    public override void Flush() => inner?.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}

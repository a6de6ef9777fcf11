using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Scute.Store.Tar;

/// <summary>
/// The <see cref="TreeDigest"/> encoding, fed one entry at a time in walk order: each entry as
/// length-prefixed fields (type, path, permission bits, size, content or link-target hash).
/// Shared by the walk over a folder and the extractor, which feeds it while it writes.
/// </summary>
internal sealed class TreeDigestBuilder : IDisposable
{
    private readonly IncrementalHash _tree = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public void Add(TreeEntryKind kind, string relativePath, uint permissions, long size, ReadOnlySpan<byte> contentHash)
    {
        Span<byte> number = stackalloc byte[8];
        AppendField([(byte)kind]);
        AppendField(Encoding.UTF8.GetBytes(relativePath));
        BinaryPrimitives.WriteUInt64BigEndian(number, permissions);
        AppendField(number);
        BinaryPrimitives.WriteInt64BigEndian(number, size);
        AppendField(number);
        AppendField(contentHash);
    }

    public static byte[] LinkTargetHash(string target) => SHA256.HashData(Encoding.UTF8.GetBytes(target));

    public Digest Finish() => Digest.FromHash(_tree.GetHashAndReset());

    public void Dispose() => _tree.Dispose();

    private void AppendField(ReadOnlySpan<byte> field)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(length, field.Length);
        _tree.AppendData(length);
        _tree.AppendData(field);
    }
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Scute.Store.Tar;

/// <summary>
/// Content digest of an unpacked tree: sha256 over the deterministic walk,
/// each entry encoded as length-prefixed fields (type, path, permission bits,
/// size, content or link-target hash) so that no two trees share an encoding.
/// Owners and times are left out: rootless extraction changes them.
/// </summary>
public static class TreeDigest
{
    public static Digest Compute(string dir) => Compute(dir, beforeOpen: null);

    /// <param name="beforeOpen">Test seam: runs between listing a folder and opening each of its entries.</param>
    internal static Digest Compute(string dir, Action<string>? beforeOpen)
    {
        using var tree = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        using var walk = TreeWalker.Open(dir, new TreeWalkOptions { OpenFiles = true, BeforeOpen = beforeOpen });
        while (walk.MoveNext())
        {
            var e = walk.Current;
            AppendField(tree, [(byte)e.Kind]);
            AppendField(tree, Encoding.UTF8.GetBytes(e.RelativePath));
            BinaryPrimitives.WriteUInt64BigEndian(number, e.Permissions);
            AppendField(tree, number);
            BinaryPrimitives.WriteInt64BigEndian(number, e.Size);
            AppendField(tree, number);
            AppendField(tree, ContentHash(walk));
        }

        return Digest.FromHash(tree.GetHashAndReset());
    }

    private static byte[] ContentHash(TreeWalker walk)
    {
        var e = walk.Current;
        switch (e.Kind)
        {
            case TreeEntryKind.RegularFile:
                using (var file = new OpenedFileStream(walk.File, e.Size, e.RelativePath))
                {
                    return SHA256.HashData(file);
                }

            case TreeEntryKind.Symlink:
                return SHA256.HashData(Encoding.UTF8.GetBytes(e.LinkTarget!));
            case TreeEntryKind.CharDevice or TreeEntryKind.BlockDevice:
                var numbers = new byte[8];
                BinaryPrimitives.WriteUInt32BigEndian(numbers, e.RdevMajor);
                BinaryPrimitives.WriteUInt32BigEndian(numbers.AsSpan(4), e.RdevMinor);
                return SHA256.HashData(numbers);
            default:
                return [];
        }
    }

    private static void AppendField(IncrementalHash hash, ReadOnlySpan<byte> field)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(length, field.Length);
        hash.AppendData(length);
        hash.AppendData(field);
    }
}

using System.Buffers.Binary;
using System.Security.Cryptography;

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
        using var tree = new TreeDigestBuilder();
        using var walk = TreeWalker.Open(dir, new TreeWalkOptions { OpenFiles = true, BeforeOpen = beforeOpen });
        while (walk.MoveNext())
        {
            var e = walk.Current;
            tree.Add(e.Kind, e.RelativePath, e.Permissions, e.Size, ContentHash(walk));
        }

        return tree.Finish();
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
                return TreeDigestBuilder.LinkTargetHash(e.LinkTarget!);
            case TreeEntryKind.CharDevice or TreeEntryKind.BlockDevice:
                var numbers = new byte[8];
                BinaryPrimitives.WriteUInt32BigEndian(numbers, e.RdevMajor);
                BinaryPrimitives.WriteUInt32BigEndian(numbers.AsSpan(4), e.RdevMinor);
                return SHA256.HashData(numbers);
            default:
                return [];
        }
    }
}

using System.Buffers.Binary;
using System.Text;
using Scute.Core.Interop;

namespace Scute.Policy.Host;

/// <summary>
/// The bytes the host policy is read from, as one digest. Build records it next to what it
/// derived from the policy; exec hashes the files again (cheaper than parsing them) and uses
/// what build derived only while the digest is the same.
/// </summary>
public static class HostPolicyFiles
{
    public static string Digest() => Digest(HostPolicyLoader.SystemFile, HostPolicyLoader.UserFile());

    public static string Digest(string systemFile, string? userFile)
    {
        var hash = new Sha256Hasher();
        Add(hash, systemFile);
        Add(hash, userFile);
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // Each field length-prefixed (-1: absent, -2: unreadable), so no two sets of files hash alike.
    private static void Add(Sha256Hasher hash, string? path)
    {
        Field(hash, path is null ? null : Encoding.UTF8.GetBytes(path), -1);
        if (path is null)
        {
            return;
        }

        // Usually there is no policy file: one statx says so, where File.ReadAllBytes would throw and catch an exception at every exec.
        if (!path.Contains('\0', StringComparison.Ordinal) && Libc.statx(Libc.AT_FDCWD, path, 0, Libc.STATX_BASIC_STATS, out _) != 0 && Libc.Errno == Libc.ENOENT)
        {
            Field(hash, null, -1);
            return;
        }

        try
        {
            Field(hash, File.ReadAllBytes(path), -1);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            Field(hash, null, -1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Field(hash, null, -2);
        }
    }

    private static void Field(Sha256Hasher hash, byte[]? bytes, long absent)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(length, bytes?.LongLength ?? absent);
        hash.Append(length);
        if (bytes is not null)
        {
            hash.Append(bytes);
        }
    }
}

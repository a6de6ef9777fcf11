using Scute.Core.Interop;
using Scute.Runtime;

namespace Scute.Engine.Accounts;

/// <summary>
/// The invoking user as the host's /etc/passwd and /etc/group name them (dev profile). An
/// account only a directory service knows (LDAP, sssd) keeps its login name, with no gecos.
/// </summary>
internal static class HostAccount
{
    public static (PasswdEntry User, string GroupName) Invoking()
    {
        var uid = UidInfo.EffectiveUid;
        var gid = UidInfo.EffectiveGid;
        var user = PasswdEntry.Find(ReadSmall("/etc/passwd"), uid)
            ?? new PasswdEntry(Environment.UserName, uid, gid, "", "/", "/bin/sh");
        var group = PasswdEntry.GroupName(ReadSmall("/etc/group"), gid) ?? user.Name;
        return (user with { Gid = gid }, group);
    }

    private static string? ReadSmall(string path)
    {
        // Every dev exec reads both files: plain syscalls, no FileStream. A byte order mark is
        // left to File.ReadAllText, which decodes by it; without one both decode UTF-8 alike.
        var bytes = ReadRaw(path, MaxBytes);
        return bytes is null ? null
            : bytes.Length >= 2 && (bytes[0] is 0xEF or 0xFE or 0xFF || (bytes[0] == 0 && bytes[1] == 0)) ? ReadText(path)
            : System.Text.Encoding.UTF8.GetString(bytes);
    }

    private const int MaxBytes = 1 << 22;

    private static string? ReadText(string path)
    {
        try
        {
            return new FileInfo(path).Length <= MaxBytes ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The bytes of a regular file of at most <paramref name="max"/> bytes; null when it is missing, unreadable, not a file or larger.</summary>
    private static unsafe byte[]? ReadRaw(string path, int max)
    {
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            if (Libc.statx(fd, "", Libc.AT_EMPTY_PATH, Libc.STATX_BASIC_STATS, out var st) != 0 || (st.Mode & 0xF000) != 0x8000 || st.Size > (ulong)max)
            {
                return null;
            }

            // One byte more than the size, so the read that sees the end fits; a file that grew is read whole, as File.ReadAllText would.
            var buffer = new byte[(int)st.Size + 1];
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, length * 2);
                }

                nint n;
                fixed (byte* p = &buffer[length])
                {
                    n = Libc.read(fd, p, (nuint)(buffer.Length - length));
                }

                if (n < 0)
                {
                    return null;
                }

                if (n == 0)
                {
                    return buffer[..length];
                }

                length += (int)n;
            }
        }
        finally
        {
            _ = Libc.close(fd);
        }
    }
}

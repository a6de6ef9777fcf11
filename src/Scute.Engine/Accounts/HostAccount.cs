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
        try
        {
            return new FileInfo(path).Length <= 1 << 22 ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

using System.Globalization;

namespace Scute.Engine.Accounts;

/// <summary>One line of a passwd(5) file, read as data (never through the host's NSS).</summary>
internal sealed record PasswdEntry(string Name, int Uid, int Gid, string Gecos, string Home, string Shell)
{
    /// <summary>The first entry with this uid, as getpwuid(3) would find it; null when there is none.</summary>
    public static PasswdEntry? Find(string? passwd, int uid) => Entries(passwd).FirstOrDefault(e => e.Uid == uid);

    public static IEnumerable<PasswdEntry> Entries(string? passwd)
    {
        foreach (var line in (passwd ?? "").Split('\n'))
        {
            var f = line.Split(':');
            if (f.Length >= 7
                && int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                && int.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
            {
                yield return new PasswdEntry(f[0], uid, gid, f[4], f[5].Length > 0 ? f[5] : "/", f[6].Length > 0 ? f[6] : "/bin/sh");
            }
        }
    }

    public string ToLine() => string.Create(CultureInfo.InvariantCulture, $"{Name}:x:{Uid}:{Gid}:{Gecos}:{Home}:{Shell}");

    /// <summary>The name of the group(5) entry with this gid; null when there is none.</summary>
    public static string? GroupName(string? group, int gid)
    {
        var id = gid.ToString(CultureInfo.InvariantCulture);
        foreach (var line in (group ?? "").Split('\n'))
        {
            var f = line.Split(':');
            if (f.Length >= 3 && f[2] == id)
            {
                return f[0];
            }
        }

        return null;
    }

    /// <summary>A field of ours must not break the file's format.</summary>
    public static string Clean(string field) => new([.. field.Where(c => c is not (':' or '\n' or '\r'))]);
}

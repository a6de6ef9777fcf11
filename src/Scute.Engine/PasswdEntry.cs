using System.Globalization;

namespace Scute.Engine;

/// <summary>One account of the image's /etc/passwd, read as data (never through the host's NSS).</summary>
internal sealed record PasswdEntry(string Name, string Home, string Shell)
{
    public static PasswdEntry? Find(string rootfs, int uid)
    {
        var path = Path.Combine(rootfs, "etc", "passwd");
        var info = new FileInfo(path);
        if (!info.Exists || info.LinkTarget is not null || info.Length > 1 << 20)
        {
            return null;
        }

        var id = uid.ToString(CultureInfo.InvariantCulture);
        foreach (var line in File.ReadLines(path))
        {
            var f = line.Split(':');
            if (f.Length >= 7 && f[2] == id)
            {
                return new PasswdEntry(f[0], f[5].Length > 0 ? f[5] : "/", f[6].Length > 0 ? f[6] : "/bin/sh");
            }
        }

        return null;
    }
}

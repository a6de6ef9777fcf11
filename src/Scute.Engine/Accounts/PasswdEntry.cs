using System.Globalization;

namespace Scute.Engine.Accounts;

/// <summary>One line of a passwd(5) file, read as data (never through the host's NSS).</summary>
internal sealed record PasswdEntry(string Name, int Uid, int Gid, string Gecos, string Home, string Shell)
{
    /// <summary>The first entry with this uid, as getpwuid(3) would find it; null when there is none.</summary>
    public static PasswdEntry? Find(string? passwd, int uid)
    {
        // Only a line with this uid is split into strings: the host's passwd has dozens of lines, read at every exec.
        var text = (passwd ?? "").AsSpan();
        foreach (var range in text.Split('\n'))
        {
            var line = text[range];
            if (UidOf(line) == uid && Parse(line.ToString()) is { } entry)
            {
                return entry;
            }
        }

        return null;
    }

    public static IEnumerable<PasswdEntry> Entries(string? passwd)
    {
        foreach (var line in (passwd ?? "").Split('\n'))
        {
            if (Parse(line) is { } entry)
            {
                yield return entry;
            }
        }
    }

    private static PasswdEntry? Parse(string line)
    {
        var f = line.Split(':');
        return f.Length >= 7
            && int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            && int.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid)
            ? new PasswdEntry(f[0], uid, gid, f[4], f[5].Length > 0 ? f[5] : "/", f[6].Length > 0 ? f[6] : "/bin/sh")
            : null;
    }

    /// <summary>The third field as a number; -1 when there is none.</summary>
    private static int UidOf(ReadOnlySpan<char> line)
    {
        var field = 0;
        foreach (var range in line.Split(':'))
        {
            if (field++ == 2)
            {
                return int.TryParse(line[range], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : -1;
            }
        }

        return -1;
    }

    public string ToLine() => string.Create(CultureInfo.InvariantCulture, $"{Name}:x:{Uid}:{Gid}:{Gecos}:{Home}:{Shell}");

    /// <summary>The name of the group(5) entry with this gid; null when there is none.</summary>
    public static string? GroupName(string? group, int gid)
    {
        // Only the matching line is split into strings (the host's group file, at every dev exec).
        var id = gid.ToString(CultureInfo.InvariantCulture);
        var text = (group ?? "").AsSpan();
        foreach (var range in text.Split('\n'))
        {
            var line = text[range];
            var field = 0;
            foreach (var part in line.Split(':'))
            {
                if (field++ == 2)
                {
                    if (line[part].SequenceEqual(id))
                    {
                        return line[..line.IndexOf(':')].ToString();
                    }

                    break;
                }
            }
        }

        return null;
    }

    /// <summary>A field of ours must not break the file's format.</summary>
    public static string Clean(string field) =>
        field.AsSpan().IndexOfAny(":\n\r") < 0 ? field : new([.. field.Where(c => c is not (':' or '\n' or '\r'))]);
}

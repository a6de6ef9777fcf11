using System.Globalization;

namespace Scute.Runtime;

/// <summary>
/// Chooses the user-namespace id mapping for the invoking user: the full subordinate range
/// from /etc/subuid and /etc/subgid when newuidmap can apply it, else the single own id.
/// </summary>
public static class IdMapResolver
{
    public const string NewUidMap = "/usr/bin/newuidmap";
    public const string NewGidMap = "/usr/bin/newgidmap";

    /// <param name="targetUid">uid the command runs as inside; used when only one id can be mapped.</param>
    public static IdMap Resolve(int targetUid, int targetGid, string subUidFile = "/etc/subuid", string subGidFile = "/etc/subgid")
    {
        var uid = Core.Interop.Libc.geteuid();
        var gid = Core.Interop.Libc.getegid();
        var user = System.Environment.UserName;
        var subUids = File.Exists(NewUidMap) ? FindRange(subUidFile, user, uid) : null;
        var subGids = File.Exists(NewGidMap) ? FindRange(subGidFile, user, uid) : null;
        if (subUids is not null && subGids is not null
            && targetUid < subUids.Count + 1 && targetGid < subGids.Count + 1)
        {
            return new IdMap
            {
                HostUid = uid, HostGid = gid, InsideUserForHost = 0, InsideGroupForHost = 0,
                SubUids = subUids, SubGids = subGids,
            };
        }

        return new IdMap { HostUid = uid, HostGid = gid, InsideUserForHost = targetUid, InsideGroupForHost = targetGid };
    }

    /// <summary>Only the invoking user, seen inside as the given ids (no helper binaries needed).</summary>
    public static IdMap Single(int insideUid, int insideGid) => new()
    {
        HostUid = Core.Interop.Libc.geteuid(), HostGid = Core.Interop.Libc.getegid(), InsideUserForHost = insideUid, InsideGroupForHost = insideGid,
    };

    /// <summary>First range of at least 65536 ids for the user (by name or number), as newuidmap reads it.</summary>
    public static IdRange? FindRange(string file, string user, int uid)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        var uidText = uid.ToString(CultureInfo.InvariantCulture);
        foreach (var line in File.ReadLines(file))
        {
            var parts = line.Split(':');
            if (parts.Length != 3 || (parts[0] != user && parts[0] != uidText))
            {
                continue;
            }

            if (long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                && count >= 65536)
            {
                return new IdRange(start, 65536);
            }
        }

        return null;
    }
}

using System.Globalization;

namespace Scute.Runtime.Namespace;

/// <summary>
/// What the native stage (nsstage.c) reads from its variable: the namespaces and id maps util-linux
/// unshare used to get as arguments, and the descriptors it must hand on or keep from the command.
/// </summary>
public static class StageVariable
{
    public const string Name = "SCUTE_NSSTAGE";

    // The stage copies the variable into a 1024-byte buffer: a longer record path only means no holder.
    private const int MaxHolderPath = 512;

    /// <summary><c>NET;DEATH_FD;COMMAND_FDS;MODE;UID_MAP;GID_MAP;LINGER;HOLDER</c>, as nsstage.c parses it.</summary>
    /// <param name="lingerSeconds">How long an unused holder stays; 0 starts and joins none.</param>
    public static string Format(RunSpec spec, int deathFd, IReadOnlyList<int> commandFds, int lingerSeconds = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(commandFds);
        var map = spec.IdMap;
        string mode, uids, gids, holder = "0;";
        if (map.SubUids is not null && map.SubGids is not null)
        {
            // Only this mode pays for newuidmap and newgidmap, which a holder's namespace saves.
            if (lingerSeconds > 0 && spec.UserNamespaceHolder is { Length: > 0 and <= MaxHolderPath } record)
            {
                holder = Invariant($"{lingerSeconds};{record}");
            }

            // Only newuidmap/newgidmap may write ranges: you become root, the range becomes 1..
            mode = "h";
            uids = Invariant($"0 {map.HostUid} 1 1 {map.SubUids.Start} {map.SubUids.Count}");
            gids = Invariant($"0 {map.HostGid} 1 1 {map.SubGids.Start} {map.SubGids.Count}");
        }
        else
        {
            mode = "s";
            uids = Invariant($"{map.InsideUserForHost} {map.HostUid} 1");
            gids = Invariant($"{map.InsideGroupForHost} {map.HostGid} 1");
        }

        var fds = string.Join(',', commandFds.Select(fd => fd.ToString(CultureInfo.InvariantCulture)));
        return Invariant($"{(spec.NetworkIsolation ? 1 : 0)};{deathFd};{fds};{mode};{uids};{gids};{holder}");
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

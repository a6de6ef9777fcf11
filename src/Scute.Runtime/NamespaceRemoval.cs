using System.Diagnostics;
using System.Globalization;

namespace Scute.Runtime;

/// <summary>
/// Removes a tree holding files that an environment's users wrote: they belong to your
/// subordinate ids, which you cannot delete as yourself. Inside a user namespace that maps you
/// to root and the subordinate range to 1..65536, root has the rights over all of them. The
/// removal there is Scute's own (<see cref="HiddenVerbs.RemoveTree"/>), not the host's rm, so it keeps the
/// guarantee that nothing is deleted through a symlink whatever rm the host has.
/// </summary>
public static class NamespaceRemoval
{
    /// <summary>False when no subordinate range is mapped (then no file can belong to one) or the removal failed.</summary>
    public static bool TryRemove(string path)
    {
        var map = IdMapResolver.Resolve(0, 0);
        if (map.SubUids is null || map.SubGids is null || !File.Exists(Namespace.NamespaceBackend.UnsharePath))
        {
            return false;
        }

        var psi = new ProcessStartInfo(Namespace.NamespaceBackend.UnsharePath)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            string.Create(CultureInfo.InvariantCulture, $"--map-users={map.SubUids.Start},1,{map.SubUids.Count}"),
            string.Create(CultureInfo.InvariantCulture, $"--map-groups={map.SubGids.Start},1,{map.SubGids.Count}"),
            "--map-root-user", "--",
        }.Concat(HiddenVerbs.Argv(HiddenVerbs.RemoveTree)).Append(path))
        {
            psi.ArgumentList.Add(arg);
        }

        using var p = Process.Start(psi)!;
        _ = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 && !Path.Exists(path);
    }
}

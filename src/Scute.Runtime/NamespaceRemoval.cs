using System.Diagnostics;
using System.Globalization;

namespace Scute.Runtime;

/// <summary>
/// Removes a tree holding files that an environment's users wrote: they belong to your
/// subordinate ids, which you cannot delete as yourself. Inside a user namespace that maps you
/// to root and the subordinate range to 1..65536, rm has the rights over all of them.
/// </summary>
public static class NamespaceRemoval
{
    /// <summary>False when no subordinate range is mapped (then no file can belong to one).</summary>
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
            "--map-root-user", "--", "/bin/rm", "-rf", "--", path,
        })
        {
            psi.ArgumentList.Add(arg);
        }

        using var p = Process.Start(psi)!;
        _ = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 && !Path.Exists(path);
    }
}

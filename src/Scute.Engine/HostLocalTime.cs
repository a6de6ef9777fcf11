using Scute.Runtime;

namespace Scute.Engine;

/// <summary>
/// The host's time zone for the environment: /etc/localtime is usually a symlink into the
/// host's zoneinfo, resolved here, on the host side, to the file it names; the init stage opens
/// that file refusing links and lays it read-only over the environment's /etc/localtime.
/// </summary>
internal static class HostLocalTime
{
    public static IEnumerable<RootFile> File()
    {
        var real = HostPaths.RealPath("/etc/localtime");
        if (real is not null && System.IO.File.Exists(real))
        {
            yield return new RootFile("/etc/localtime", null, real);
        }
    }
}

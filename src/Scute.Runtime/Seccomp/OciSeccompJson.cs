using System.Text.Json;
using Scute.Runtime.Oci;

namespace Scute.Runtime.Seccomp;

/// <summary>
/// The seccomp profile the namespace backend installs, as the OCI/Docker JSON file that Podman,
/// Quadlet and Kubernetes read. It is the same object the oci backend puts in config.json
/// (<see cref="OciSeccompTranslator"/>): resolved for the granted capabilities and this
/// architecture, and written so that libseccomp gives the namespace filter's answer for every
/// call (narrow arguments compared on their low bits; ioctl allowed only outside TIOCSTI and
/// TIOCLINUX, because an unconditional allow would hide those denials in libseccomp).
/// </summary>
public static class OciSeccompJson
{
    /// <summary>The profile for this spec, or null when seccomp is unconfined.</summary>
    public static string? Write(SeccompSpec spec, IEnumerable<string> capabilities, SeccompArch arch)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (SeccompFilter.Profile(spec) is not { } profile)
        {
            return null;
        }

        return Write(profile.Resolve([.. capabilities], arch), arch);
    }

    public static string Write(ResolvedSeccompProfile profile, SeccompArch arch)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return JsonSerializer.Serialize(OciSeccompTranslator.Translate(profile, arch), OciJsonContext.Default.OciSeccomp) + "\n";
    }
}

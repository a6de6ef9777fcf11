using Scute.Manifest;
using Scute.Policy.Host;

namespace Scute.Policy;

/// <summary>
/// Derives the effective security context from a manifest: profile defaults first, then what
/// the [security] table sets. The per-field checks and overrides of DESIGN §2 build on this.
/// </summary>
public static class SecurityContextResolver
{
    /// <summary>The override that lets <c>hardware.gpu</c> pass /dev/dri/card* too.</summary>
    public const string GpuCardOverride = "gpu_card";

    /// <summary>Derives and validates against the default host policy; throws on a violation.</summary>
    public static EffectiveSecurityContext Resolve(EnvironmentManifest manifest) =>
        PolicyEngine.Enforce(manifest, HostPolicy.Default).Context;

    /// <summary>Only derives the context (no validation): <see cref="PolicyEngine"/> runs the checks.</summary>
    public static EffectiveSecurityContext Derive(EnvironmentManifest manifest, HostPolicy host)
    {
        var security = manifest.Security;
        var profile = security?.Profile ?? "dev";
        var devices = SecurityDefaults.Devices.ToList();
        if (manifest.Gpu)
        {
            // Render nodes; the card nodes (display control, not only rendering) need a reason.
            devices.Add("dri");
            if (security?.Overrides?.ContainsKey(GpuCardOverride) == true)
            {
                devices.Add("dri-card");
            }

            // NVIDIA's devices come through the host's CDI spec, where it has one.
            devices.Add("cdi:nvidia.com/gpu=all");
        }

        if (manifest.Audio)
        {
            devices.Add("snd");
        }

        devices.Sort(StringComparer.Ordinal);
        var context = new EffectiveSecurityContext
        {
            Profile = profile,
            User = profile == "dev" && security?.User is null ? null : security?.User ?? SecurityDefaults.User,
            Group = profile == "dev" && security?.Group is null ? null : security?.Group ?? SecurityDefaults.Group,
            ReadOnlyRoot = security?.ReadonlyRoot ?? profile != "dev",
            NoNewPrivileges = security?.NoNewPrivileges ?? true,
            Capabilities = security?.Capabilities ?? new SortedDictionary<string, string>(StringComparer.Ordinal),
            Seccomp = security?.Seccomp is { } seccomp && SeccompModes.IsProfilePath(seccomp)
                ? Path.GetFullPath(seccomp, manifest.SourceFolder)
                : security?.Seccomp ?? SeccompModes.Default,
            Devices = devices,
            EnvironmentAllowed = EnvironmentPolicy.Allowed(host),
            NetworkIsolation = manifest.Runtime.NetworkIsolation,
            Overrides = security?.Overrides ?? new SortedDictionary<string, string>(StringComparer.Ordinal),
            Desktop = DesktopGrants.For(manifest),
        };
        return context;
    }
}

using Scute.Manifest;

namespace Scute.Policy;

/// <summary>
/// Derives the effective security context from a manifest: profile defaults first, then what
/// the [security] table sets. The per-field checks and overrides of DESIGN §2 build on this.
/// </summary>
public static class SecurityContextResolver
{
    public static EffectiveSecurityContext Resolve(EnvironmentManifest manifest)
    {
        var security = manifest.Security;
        var profile = security?.Profile ?? "dev";
        var devices = SecurityDefaults.Devices.ToList();
        if (manifest.Gpu)
        {
            devices.Add("dri");
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
            Seccomp = security?.Seccomp ?? "default",
            Devices = devices,
            EnvironmentAllowed = SecurityDefaults.EnvironmentAllowed,
            NetworkIsolation = manifest.Runtime.NetworkIsolation,
            Overrides = security?.Overrides ?? new SortedDictionary<string, string>(StringComparer.Ordinal),
        };
        EnsureMinimalRules(context, manifest);
        return context;
    }

    private static void EnsureMinimalRules(EffectiveSecurityContext context, EnvironmentManifest manifest)
    {
        if (context.Profile is not ("strict" or "dev"))
        {
            throw new PolicyViolationException($"{manifest.SourcePath}: security.profile: unknown profile '{context.Profile}' (accepted: strict, dev)");
        }

        Relaxations.Enforce(context, manifest);
    }
}

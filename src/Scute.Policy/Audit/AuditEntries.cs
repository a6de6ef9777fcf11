using System.Globalization;
using Scute.Manifest;
using Scute.Policy.Checks;

namespace Scute.Policy.Audit;

/// <summary>
/// The relaxations of a validated security context that DESIGN §2.5 puts in the audit trail:
/// each accepted override with its effective value, each added capability, and each default
/// the dev profile relaxes. Pure; sorted by field.
/// </summary>
public static class AuditEntries
{
    public const string InvokingUser = "invoking-user";
    public const string CapabilityAdded = "added";

    public static IReadOnlyList<AuditEntry> For(EffectiveSecurityContext context, EnvironmentManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(manifest);
        var entries = new List<AuditEntry>();
        foreach (var (field, reason) in context.Overrides)
        {
            entries.Add(new AuditEntry(AuditKind.Override, field, EffectiveValue(context, manifest, field), reason));
        }

        foreach (var (name, reason) in context.Capabilities)
        {
            entries.Add(new AuditEntry(AuditKind.Capability, "capabilities." + name, CapabilityAdded, reason));
        }

        foreach (var grant in context.Desktop)
        {
            entries.Add(new AuditEntry(AuditKind.DesktopGrant, GrantField(grant), grant.Describe(), AskedBy(manifest, grant)));
        }

        if (context.Profile == "dev")
        {
            var why = manifest.Security is null ? "profile dev: no [security] table" : "profile dev: security.profile = \"dev\"";
            if (!context.ReadOnlyRoot && !context.Overrides.ContainsKey("readonly_root"))
            {
                entries.Add(new AuditEntry(AuditKind.DevProfile, "readonly_root", "false", why));
            }

            if (context.User is null && !context.Overrides.ContainsKey("user"))
            {
                entries.Add(new AuditEntry(AuditKind.DevProfile, "user", InvokingUser, why));
            }
        }

        return [.. entries.OrderBy(e => e.Field, StringComparer.Ordinal)];
    }

    private static string EffectiveValue(EffectiveSecurityContext c, EnvironmentManifest manifest, string field) => field switch
    {
        "readonly_root" => Bool(c.ReadOnlyRoot),
        "no_new_privileges" => Bool(c.NoNewPrivileges),
        "seccomp" => c.Seccomp,
        "user" => Id(c.User),
        "group" => Id(c.Group),
        "image" => manifest.BaseImage,
        _ when field.StartsWith(DesktopGrants.BusOverridePrefix, StringComparison.Ordinal) => field[DesktopGrants.BusOverridePrefix.Length..],
        _ => MountValue(manifest, field),
    };

    /// <summary>An exposed mount, as the environment gets it: expanded host path, container path, mode.</summary>
    private static string MountValue(EnvironmentManifest manifest, string field) =>
        manifest.Mounts.FirstOrDefault(m => SecretMountsCheck.OverrideKey(m.Label) == field) is { } m
            ? $"{m.HostPath}:{m.ContainerPath}{(m.ReadOnly ? ":ro" : string.Empty)}"
            : string.Empty;

    /// <summary>desktop.display, desktop.session_bus.org.freedesktop.Notifications ...</summary>
    public static string GrantField(DesktopGrant grant) =>
        grant.Kind == DesktopGrants.SessionBus ? $"desktop.{grant.Kind}.{grant.Name}" : "desktop." + grant.Kind;

    /// <summary>The manifest line that asked: "asked for by gui.apps (scute.toml line 7)".</summary>
    private static string AskedBy(EnvironmentManifest manifest, DesktopGrant grant)
    {
        var file = Path.GetFileName(manifest.SourcePath);
        return manifest.KeyLines.TryGetValue(grant.AskedBy, out var line)
            ? string.Create(CultureInfo.InvariantCulture, $"asked for by {grant.AskedBy} ({file} line {line})")
            : $"asked for by {grant.AskedBy} ({file})";
    }

    private static string Bool(bool b) => b ? "true" : "false";

    private static string Id(int? id) => id?.ToString(CultureInfo.InvariantCulture) ?? InvokingUser;
}

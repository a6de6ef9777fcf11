using Scute.Manifest;

namespace Scute.Policy;

/// <summary>
/// DESIGN §2.1: every relaxation of a mandatory default needs its own
/// [security.overrides] entry with a reason that is at least a short sentence.
/// </summary>
public static class Relaxations
{
    public static IReadOnlyList<string> OverridableFields { get; } = ["group", "image", "no_new_privileges", "readonly_root", "seccomp", "user"];

    public const int MinimumReasonWords = 3;

    public static void Enforce(EffectiveSecurityContext context, EnvironmentManifest manifest)
    {
        foreach (var (field, reason) in context.Overrides)
        {
            if (!OverridableFields.Contains(field))
            {
                throw Violation(manifest, "security.overrides." + field, $"unknown override '{field}' (accepted: {string.Join(", ", OverridableFields)})");
            }

            RequireReason(manifest, "security.overrides." + field, reason);
        }

        foreach (var (capability, reason) in context.Capabilities)
        {
            RequireReason(manifest, "security.capabilities." + capability, reason);
        }

        if (context.Profile == "strict" && !context.ReadOnlyRoot)
        {
            RequireOverride(context, manifest, "readonly_root", "false", "true");
        }

        if (!context.NoNewPrivileges)
        {
            RequireOverride(context, manifest, "no_new_privileges", "false", "true");
        }

        if (context.Seccomp != "default")
        {
            RequireOverride(context, manifest, "seccomp", $"\"{context.Seccomp}\"", "\"default\"");
        }

        if (context.User is { } user && user < SecurityDefaults.MinimumId)
        {
            RequireOverride(context, manifest, "user", $"{user}", $"{SecurityDefaults.User} (must be > 1000)");
        }

        if (context.Group is { } group && group < SecurityDefaults.MinimumId)
        {
            RequireOverride(context, manifest, "group", $"{group}", $"{SecurityDefaults.Group} (must be > 1000)");
        }
    }

    public static bool IsReason(string? reason) =>
        reason is not null && reason.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length >= MinimumReasonWords;

    private static void RequireOverride(EffectiveSecurityContext context, EnvironmentManifest manifest, string field, string value, string defaultValue)
    {
        if (!context.Overrides.ContainsKey(field))
        {
            var line = manifest.KeyLines.TryGetValue("security." + field, out var l) ? $":{l}" : string.Empty;
            throw new PolicyViolationException(
                $"{manifest.SourcePath}{line}: security.{field} = {value} relaxes a mandatory default (default {defaultValue}); to allow it add under [security.overrides]: {field} = \"<why this is needed, in a sentence>\"");
        }
    }

    private static void RequireReason(EnvironmentManifest manifest, string key, string reason)
    {
        if (!IsReason(reason))
        {
            throw Violation(manifest, key, $"the reason \"{reason}\" is not a reason: write why in a sentence (at least {MinimumReasonWords} words)");
        }
    }

    private static PolicyViolationException Violation(EnvironmentManifest manifest, string key, string problem)
    {
        var line = manifest.KeyLines.TryGetValue(key, out var l) ? $":{l}" : string.Empty;
        return new PolicyViolationException($"{manifest.SourcePath}{line}: {key}: {problem}");
    }
}

namespace Scute.Policy.Checks;

/// <summary>
/// Every override names a known field (or "mounts.&lt;label&gt;" of one of the manifest's mounts),
/// carries a real reason, and the host accepts overrides at all.
/// </summary>
public sealed class OverridesCheck : IPolicyCheck
{
    public static IReadOnlyList<string> Fields { get; } = ["gpu_card", "group", "image", "no_new_privileges", "readonly_root", "seccomp", "user"];

    public const int MinimumReasonWords = 3;

    public string Id => "overrides";

    public static bool IsReason(string? reason) =>
        reason is not null && reason.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length >= MinimumReasonWords;

    public IEnumerable<CheckResult> Evaluate(CheckInput input)
    {
        foreach (var (field, reason) in input.Context.Overrides)
        {
            var key = "security.overrides." + field;
            if (Unknown(input, field) is { } unknown)
            {
                yield return this.Fail(input, key, unknown);
            }
            else if (!input.Host.OverridesAllowed)
            {
                yield return this.Fail(input, key, "the host policy accepts no overrides");
            }
            else if (!IsReason(reason))
            {
                yield return this.Fail(input, key, $"\"{reason}\" is not a reason: write why in a sentence (at least {MinimumReasonWords} words)");
            }
            else
            {
                yield return this.Pass(input, key, reason);
            }
        }
    }

    /// <summary>Why <paramref name="field"/> is not an override this manifest can have, or null.</summary>
    private static string? Unknown(CheckInput input, string field)
    {
        if (field == SecurityContextResolver.GpuCardOverride && !input.Manifest.Gpu)
        {
            return $"override '{field}' needs [hardware] gpu = true";
        }

        var prefix = SecretMountsCheck.OverridePrefix;
        var busPrefix = DesktopGrants.BusOverridePrefix;
        if (field.StartsWith(busPrefix, StringComparison.Ordinal))
        {
            var names = input.Manifest.DbusTalk;
            return names.Contains(field[busPrefix.Length..]) ? null
                : $"override '{field}' names no bus name of gui.dbus_talk ({(names.Count == 0 ? "the manifest has none" : string.Join(", ", names))})";
        }

        if (!field.StartsWith(prefix, StringComparison.Ordinal))
        {
            return Fields.Contains(field) ? null : $"unknown override '{field}' (accepted: {string.Join(", ", Fields)}, \"{prefix}<mount label>\", \"{busPrefix}<bus name>\")";
        }

        var labels = input.Manifest.Mounts.Select(m => m.Label).ToList();
        return labels.Contains(field[prefix.Length..]) ? null
            : $"override '{field}' names no mount (labels: {(labels.Count == 0 ? "the manifest has no [mounts]" : string.Join(", ", labels))})";
    }
}

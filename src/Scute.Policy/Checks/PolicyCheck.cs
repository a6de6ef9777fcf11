using Scute.Manifest;
using Scute.Policy.Host;

namespace Scute.Policy.Checks;

/// <summary>What every check sees: the manifest as written, the effective context, the host policy.</summary>
public sealed record CheckInput(EnvironmentManifest Manifest, EffectiveSecurityContext Context, HostPolicy Host);

/// <summary>One finding of one check: allowed or not, for which key, and why.</summary>
public sealed record CheckResult(string CheckId, bool Allowed, string Key, string Detail)
{
    public int? Line { get; init; }
}

/// <summary>One rule of DESIGN §2, as a small pure function from input to findings.</summary>
public interface IPolicyCheck
{
    /// <summary>Stable id, also the name of its fixture folder in the tests.</summary>
    string Id { get; }

    IEnumerable<CheckResult> Evaluate(CheckInput input);
}

internal static class Results
{
    public static CheckResult Pass(this IPolicyCheck check, CheckInput input, string key, string detail) =>
        new(check.Id, true, key, detail) { Line = LineOf(input, key) };

    public static CheckResult Fail(this IPolicyCheck check, CheckInput input, string key, string detail) =>
        new(check.Id, false, key, detail) { Line = LineOf(input, key) };

    /// <summary>The message for a relaxation that lacks its override: field, default, and the line that would allow it.</summary>
    public static string NeedsOverride(string field, string value, string defaultValue) =>
        $"security.{field} = {value} relaxes a mandatory default (default {defaultValue}); to allow it add under [security.overrides]: {field} = \"<why this is needed, in a sentence>\"";

    public static bool HasOverride(CheckInput input, string field) =>
        input.Host.OverridesAllowed && input.Context.Overrides.ContainsKey(field);

    private static int? LineOf(CheckInput input, string key)
    {
        var lines = input.Manifest.KeyLines;
        for (var k = key; k.Length > 0; k = k.Contains('.', StringComparison.Ordinal) ? k[..k.LastIndexOf('.')] : string.Empty)
        {
            if (lines.TryGetValue(k, out var line))
            {
                return line;
            }
        }

        return null;
    }
}

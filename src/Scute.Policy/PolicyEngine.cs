using Scute.Manifest;
using Scute.Policy.Checks;
using Scute.Policy.Host;

namespace Scute.Policy;

/// <summary>
/// Validation, once, before anything touches the disk: derive the effective context, run every
/// check, and either hand the context on or refuse with the first violation.
/// </summary>
public static class PolicyEngine
{
    public static PolicyDecision Evaluate(EnvironmentManifest manifest, HostPolicy host)
    {
        var context = SecurityContextResolver.Derive(manifest, host);
        var input = new CheckInput(manifest, context, host);
        var results = CheckRegistry.All
            .SelectMany(check => check.Evaluate(input))
            .OrderBy(r => r.CheckId, StringComparer.Ordinal)
            .ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
        return new PolicyDecision(context, new PolicyReport(results));
    }

    /// <summary>The effective context, or a <see cref="PolicyViolationException"/> naming the first violation.</summary>
    public static PolicyDecision Enforce(EnvironmentManifest manifest, HostPolicy host)
    {
        var decision = Evaluate(manifest, host);
        var violations = decision.Report.Violations.ToList();
        if (violations.Count == 0)
        {
            return decision;
        }

        var first = violations[0];
        var line = first.Line is { } l ? $":{l}" : string.Empty;
        var more = violations.Count > 1 ? $" (and {violations.Count - 1} more: see scute policy)" : string.Empty;
        var what = first.Detail.StartsWith(first.Key, StringComparison.Ordinal) ? first.Detail : $"{first.Key}: {first.Detail}";
        throw new PolicyViolationException($"{manifest.SourcePath}{line}: {what}{more}");
    }
}

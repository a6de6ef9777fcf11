using Scute.Policy.Checks;

namespace Scute.Policy;

/// <summary>Every check's findings, sorted by check id then key: a stable report.</summary>
public sealed record PolicyReport(IReadOnlyList<CheckResult> Results)
{
    public IEnumerable<CheckResult> Violations => Results.Where(r => !r.Allowed);

    public bool Allowed => Results.All(r => r.Allowed);
}

/// <summary>The outcome of validating a manifest against the profile and the host policy.</summary>
public sealed record PolicyDecision(EffectiveSecurityContext Context, PolicyReport Report);

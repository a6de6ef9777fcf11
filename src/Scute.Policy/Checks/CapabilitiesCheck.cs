namespace Scute.Policy.Checks;

/// <summary>All capabilities are dropped; each added one must be known, allowed by the host, and carry a reason.</summary>
public sealed class CapabilitiesCheck : IPolicyCheck
{
    public string Id => "capabilities";

    public IEnumerable<CheckResult> Evaluate(CheckInput input)
    {
        if (input.Context.Capabilities.Count == 0)
        {
            yield return this.Pass(input, "security.capabilities", "none: all dropped");
            yield break;
        }

        foreach (var (name, reason) in input.Context.Capabilities)
        {
            var key = "security.capabilities." + name;
            if (!CapabilityNames.IsKnown(name))
            {
                yield return this.Fail(input, key, $"unknown capability '{name}'");
            }
            else if (!input.Host.AllowedCapabilities.Contains(name))
            {
                var why = KnownCapabilities.Dangerous.Contains(name) ? " (it is never allowed unless the system policy names it)" : string.Empty;
                yield return this.Fail(input, key, $"{name} is not allowed by the host policy{why}");
            }
            else if (!OverridesCheck.IsReason(reason))
            {
                yield return this.Fail(input, key, $"\"{reason}\" is not a reason: write why {name} is needed, in a sentence (at least {OverridesCheck.MinimumReasonWords} words)");
            }
            else
            {
                yield return this.Pass(input, key, $"{name}: {reason}");
            }
        }
    }
}

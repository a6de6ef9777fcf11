namespace Scute.Policy.Checks;

/// <summary>The profile exists and the host allows it.</summary>
public sealed class ProfileCheck : IPolicyCheck
{
    public string Id => "profile";

    public IEnumerable<CheckResult> Evaluate(CheckInput input)
    {
        var profile = input.Context.Profile;
        if (profile is not ("strict" or "dev"))
        {
            yield return this.Fail(input, "security.profile", $"unknown profile '{profile}' (accepted: strict, dev)");
        }
        else if (!input.Host.AllowedProfiles.Contains(profile))
        {
            yield return this.Fail(input, "security.profile", $"profile {profile} is not allowed by the host policy (allowed: {string.Join(", ", input.Host.AllowedProfiles.Order(StringComparer.Ordinal))})");
        }
        else
        {
            yield return this.Pass(input, "security.profile", profile + (input.Manifest.Security is null ? " (no [security] table)" : string.Empty));
        }
    }
}

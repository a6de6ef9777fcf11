namespace Scute.Policy.Checks;

/// <summary>uid and gid above 1000 unless overridden, and never 0.</summary>
public sealed class UserCheck : IPolicyCheck
{
    public string Id => "user";

    public IEnumerable<CheckResult> Evaluate(CheckInput input)
    {
        yield return Check(input, "user", input.Context.User, SecurityDefaults.User);
        yield return Check(input, "group", input.Context.Group, SecurityDefaults.Group);
    }

    private CheckResult Check(CheckInput input, string field, int? id, int defaultId)
    {
        var key = "security." + field;
        return id switch
        {
            null => this.Pass(input, key, "the invoking user, at the same uid (profile dev)"),
            0 => this.Fail(input, key, $"security.{field} = 0 is never allowed: the environment must not run as root (default {defaultId})"),
            < SecurityDefaults.MinimumId when !Results.HasOverride(input, field) =>
                this.Fail(input, key, Results.NeedsOverride(field, id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{defaultId}, must be > 1000")),
            _ => this.Pass(input, key, id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
    }
}

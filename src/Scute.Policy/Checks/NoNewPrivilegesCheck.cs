namespace Scute.Policy.Checks;

public sealed class NoNewPrivilegesCheck : IPolicyCheck
{
    public string Id => "no_new_privileges";

    public IEnumerable<CheckResult> Evaluate(CheckInput input)
    {
        const string key = "security.no_new_privileges";
        if (input.Context.NoNewPrivileges)
        {
            yield return this.Pass(input, key, "on");
        }
        else if (Results.HasOverride(input, "no_new_privileges"))
        {
            yield return this.Pass(input, key, "off (overridden)");
        }
        else
        {
            yield return this.Fail(input, key, Results.NeedsOverride("no_new_privileges", "false", "true"));
        }
    }
}

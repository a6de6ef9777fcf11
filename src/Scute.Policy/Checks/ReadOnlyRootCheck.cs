namespace Scute.Policy.Checks;

/// <summary>strict: the root filesystem is read-only unless overridden; dev: a writable overlay by design.</summary>
public sealed class ReadOnlyRootCheck : IPolicyCheck
{
    public string Id => "readonly_root";

    public IEnumerable<CheckResult> Evaluate(CheckInput input)
    {
        var c = input.Context;
        if (c.ReadOnlyRoot)
        {
            yield return this.Pass(input, "security.readonly_root", "read-only");
        }
        else if (c.Profile == "dev")
        {
            yield return this.Pass(input, "security.readonly_root", "writable overlay (profile dev)");
        }
        else if (Results.HasOverride(input, "readonly_root"))
        {
            yield return this.Pass(input, "security.readonly_root", "writable (overridden)");
        }
        else
        {
            yield return this.Fail(input, "security.readonly_root", Results.NeedsOverride("readonly_root", "false", "true"));
        }
    }
}

namespace Scute.Policy.Checks;

/// <summary>seccomp: Scute's default profile unless overridden; a custom profile file must exist.</summary>
public sealed class SeccompCheck : IPolicyCheck
{
    public string Id => "seccomp";

    public IEnumerable<CheckResult> Evaluate(CheckInput input)
    {
        const string key = "security.seccomp";
        var value = input.Context.Seccomp;
        if (value == SeccompModes.Default)
        {
            yield return this.Pass(input, key, "default profile");
            yield break;
        }

        if (!Results.HasOverride(input, "seccomp"))
        {
            yield return this.Fail(input, key, Results.NeedsOverride("seccomp", $"\"{value}\"", "\"default\""));
            yield break;
        }

        if (SeccompModes.IsProfilePath(value) && !File.Exists(value))
        {
            yield return this.Fail(input, key, $"seccomp profile file {value} does not exist (accepted: default, unconfined, or the path of an OCI seccomp JSON file)");
            yield break;
        }

        yield return this.Pass(input, key, value == SeccompModes.Unconfined ? "unconfined (overridden)" : $"profile {value} (overridden)");
    }
}

namespace Scute.Policy.Checks;

/// <summary>Limits stay under the host's upper bounds.</summary>
public sealed class ResourceLimitsCheck : IPolicyCheck
{
    public string Id => "resource_limits";

    public IEnumerable<CheckResult> Evaluate(CheckInput input)
    {
        var r = input.Manifest.Runtime;
        yield return Bound(input, "runtime.resource_limits.cpu_shares", r.CpuShares, input.Host.MaxCpuShares);
        yield return Bound(input, "runtime.resource_limits.memory_limit_mb", r.MemoryLimitMb, input.Host.MaxMemoryMb);
    }

    private CheckResult Bound(CheckInput input, string key, long? value, long? max) => (value, max) switch
    {
        (null, _) => this.Pass(input, key, "not set"),
        ({ } v, { } m) when v > m => this.Fail(input, key, $"{v} is above the host's limit of {m}"),
        ({ } v, _) => this.Pass(input, key, v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    };
}

namespace Scute.Policy.Checks;

public sealed class NetworkCheck : IPolicyCheck
{
    public string Id => "network";

    public IEnumerable<CheckResult> Evaluate(CheckInput input)
    {
        const string key = "runtime.network_isolation";
        if (input.Context.NetworkIsolation)
        {
            yield return this.Pass(input, key, "isolated: loopback only");
        }
        else if (!input.Host.NetworkAllowed)
        {
            yield return this.Fail(input, key, "the host policy does not allow the host network; set network_isolation = true");
        }
        else
        {
            yield return this.Pass(input, key, "host network");
        }
    }
}

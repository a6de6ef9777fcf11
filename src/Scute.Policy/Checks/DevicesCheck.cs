namespace Scute.Policy.Checks;

/// <summary>Only the standard devices, plus /dev/dri and /dev/snd when asked for and the host allows them.</summary>
public sealed class DevicesCheck : IPolicyCheck
{
    public string Id => "devices";

    public IEnumerable<CheckResult> Evaluate(CheckInput input)
    {
        var m = input.Manifest;
        if (m.Gpu && !input.Host.GpuAllowed)
        {
            yield return this.Fail(input, "hardware.gpu", "the host policy does not allow GPU access");
        }

        if (m.Audio && !input.Host.AudioAllowed)
        {
            yield return this.Fail(input, "hardware.audio", "the host policy does not allow audio devices");
        }

        yield return this.Pass(input, "hardware", string.Join(" ", input.Context.Devices));
    }
}

namespace Scute.Policy.Checks;

/// <summary>
/// Each desktop grant is named with the manifest line that asked for it; the host may forbid
/// the display and the session bus (GPU and audio: <see cref="DevicesCheck"/>), and in strict
/// each bus name needs its reason under [security.overrides].
/// </summary>
public sealed class DesktopCheck : IPolicyCheck
{
    public string Id => "desktop";

    public IEnumerable<CheckResult> Evaluate(CheckInput input)
    {
        var grants = input.Context.Desktop;
        if (grants.Count == 0)
        {
            yield return this.Pass(input, "gui", "no desktop grant: no display, audio, GPU or session bus");
            yield break;
        }

        foreach (var grant in grants)
        {
            var refusal = Refusal(input, grant);
            if (refusal is not null)
            {
                yield return this.Fail(input, grant.AskedBy, refusal);
            }
            else if (Allowed(input, grant))
            {
                yield return this.Pass(input, grant.AskedBy, "grants " + grant.Describe());
            }
        }
    }

    /// <summary>GPU and audio refusals are <see cref="DevicesCheck"/>'s; they are not repeated here.</summary>
    private static bool Allowed(CheckInput input, DesktopGrant grant) => grant.Kind switch
    {
        DesktopGrants.Gpu => input.Host.GpuAllowed,
        DesktopGrants.Audio => input.Host.AudioAllowed,
        _ => true,
    };

    private static string? Refusal(CheckInput input, DesktopGrant grant)
    {
        switch (grant.Kind)
        {
            case DesktopGrants.Display when !input.Host.DisplayAllowed:
                return "the host policy does not allow the display ([desktop] allow_display = false)";
            case DesktopGrants.SessionBus when !input.Host.SessionBusAllowed:
                return $"{grant.Name}: the host policy does not allow the session bus ([desktop] allow_session_bus = false)";
            case DesktopGrants.SessionBus when input.Context.Profile == "strict" && !Results.HasOverride(input, OverrideKey(grant.Name)):
                return $"{grant.Name}: a session bus name needs a reason in strict; add under [security.overrides]: \"{OverrideKey(grant.Name)}\" = \"<why the app talks to it, in a sentence>\"";
            default:
                return null;
        }
    }

    public static string OverrideKey(string busName) => DesktopGrants.BusOverridePrefix + busName;
}

using Scute.Policy.Host;

namespace Scute.Policy.Checks;

/// <summary>
/// No mount source is, lies in, or contains a secret or control location of the host policy's
/// <c>[mounts] denied_sources</c> (~/.ssh, $XDG_RUNTIME_DIR, /run/docker.sock ...), symlinks
/// followed on both sides, unless <c>[security.overrides] "mounts.&lt;label&gt;"</c> accepts it. The
/// allowed prefixes (<see cref="MountsCheck"/>) cover all of /home: without this, a cloned
/// repository's manifest could mount ~ and the environment would read the user's keys.
/// </summary>
public sealed class SecretMountsCheck : IPolicyCheck
{
    public const string OverridePrefix = "mounts.";

    private const string Rule = "host policy [mounts] denied_sources";

    private const int NamedAtMost = 3;

    public string Id => "secret_mounts";

    public static string OverrideKey(string label) => OverridePrefix + label;

    public static bool IsOverridden(HostPolicy host, IReadOnlyDictionary<string, string> overrides, string label) =>
        host.OverridesAllowed && overrides.ContainsKey(OverrideKey(label));

    /// <summary>
    /// The denied locations a mount of <paramref name="resolved"/> (every symlink followed) exposes:
    /// those it is or lies in first, then those under it that are there now. A location is matched
    /// as written and where it leads, so neither a link to ~/.ssh nor ~/.ssh as a link slips by.
    /// </summary>
    public static IReadOnlyList<DeniedLocation> Exposed(IReadOnlyList<DeniedLocation> denied, string resolved)
    {
        var inside = denied.Where(d => Targets(d).Any(t => HostPolicyMerge.IsUnder(resolved, t)));
        var below = denied.Where(d => d.Present && Targets(d).Any(t => HostPolicyMerge.IsUnder(t, resolved)));
        return [.. inside.Concat(below).Distinct()];
    }

    /// <summary>One clause naming what <paramref name="hostPath"/> exposes; the first location decides the verb.</summary>
    public static string Describe(string hostPath, string resolved, IReadOnlyList<DeniedLocation> exposed)
    {
        var via = resolved == hostPath ? string.Empty : $" (it resolves to {resolved})";
        var first = exposed[0];
        var verb = Targets(first).Contains(resolved) ? "is"
            : Targets(first).Any(t => HostPolicyMerge.IsUnder(resolved, t)) ? "lies in"
            : "contains";
        var names = string.Join(", ", exposed.Take(NamedAtMost));
        var more = exposed.Count > NamedAtMost ? $" and {exposed.Count - NamedAtMost} more" : string.Empty;
        var noun = exposed.Count > 1 ? "secret locations" : "secret location";
        return $"host path {hostPath}{via} {verb} the {noun} {names}{more} ({Rule})";
    }

    /// <summary>What the manifest can do about it: the exact override line, when the host accepts overrides.</summary>
    public static string Remedy(HostPolicy host, string label) => host.OverridesAllowed
        ? $"to allow it add under [security.overrides]: \"{OverrideKey(label)}\" = \"<why this is needed, in a sentence>\""
        : "the host policy accepts no overrides";

    public IEnumerable<CheckResult> Evaluate(CheckInput input)
    {
        var denied = SecretLocations.ForInvokingUser(input.Host);
        foreach (var mount in input.Manifest.Mounts)
        {
            var key = OverrideKey(mount.Label);
            // A missing source is the mounts check's finding; its path as written is still judged here.
            var resolved = SymlinkResolver.Resolve(mount.HostPath) ?? mount.HostPath;
            var exposed = Exposed(denied, resolved);
            if (exposed.Count == 0)
            {
                yield return this.Pass(input, key, $"no secret location at, above or under {resolved}");
            }
            else if (IsOverridden(input.Host, input.Context.Overrides, mount.Label))
            {
                yield return this.Pass(input, key, $"{Describe(mount.HostPath, resolved, exposed)}: allowed by [security.overrides] \"{key}\"");
            }
            else
            {
                yield return this.Fail(input, key, $"{Describe(mount.HostPath, resolved, exposed)}; {Remedy(input.Host, mount.Label)}");
            }
        }
    }

    private static IEnumerable<string> Targets(DeniedLocation d) => d.Resolved is { } r && r != d.Path ? [d.Path, r] : [d.Path];
}

using Scute.Policy.Host;

namespace Scute.Policy.Checks;

/// <summary>
/// Mount sources, with every symlink followed, lie under an allowed prefix or the manifest's
/// folder; targets are absolute and stay out of /proc, /sys and /dev.
/// </summary>
public sealed class MountsCheck : IPolicyCheck
{
    private static readonly string[] ReservedTargets = ["/proc", "/sys", "/dev"];

    public string Id => "mounts";

    /// <summary>The host's prefixes plus the manifest's own folder (itself resolved).</summary>
    public static IReadOnlyList<string> AllowedFolders(HostPolicy host, string manifestFolder) =>
        [.. host.MountPrefixes, SymlinkResolver.Resolve(manifestFolder) ?? manifestFolder];

    /// <summary>The run-time re-check: is this fully resolved source still in an allowed folder?</summary>
    public static bool IsAllowedSource(string resolved, HostPolicy host, string manifestFolder) =>
        AllowedFolders(host, manifestFolder).Any(prefix => HostPolicyMerge.IsUnder(resolved, prefix));

    public IEnumerable<CheckResult> Evaluate(CheckInput input)
    {
        foreach (var mount in input.Manifest.Mounts)
        {
            var key = "mounts." + mount.Label;
            var resolved = SymlinkResolver.Resolve(mount.HostPath);
            var allowed = AllowedFolders(input.Host, input.Manifest.SourceFolder);
            if (resolved is null)
            {
                yield return this.Fail(input, key, $"host path {mount.HostPath} does not exist");
            }
            else if (!allowed.Any(prefix => HostPolicyMerge.IsUnder(resolved, prefix)))
            {
                var via = resolved == mount.HostPath ? string.Empty : $" (it resolves to {resolved})";
                yield return this.Fail(input, key, $"host path {mount.HostPath}{via} is outside the allowed folders: {string.Join(", ", allowed)}");
            }
            else if (!mount.ContainerPath.StartsWith('/') || mount.ContainerPath == "/"
                || ReservedTargets.Any(r => HostPolicyMerge.IsUnder(mount.ContainerPath, r)))
            {
                yield return this.Fail(input, key, $"container path {mount.ContainerPath} is not allowed (accepted: an absolute path other than /, outside /proc, /sys and /dev)");
            }
            else
            {
                yield return this.Pass(input, key, $"{resolved} -> {mount.ContainerPath}{(mount.ReadOnly ? " (read-only)" : string.Empty)}");
            }
        }
    }
}

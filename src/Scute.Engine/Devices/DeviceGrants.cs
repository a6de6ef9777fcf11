using Scute.Runtime;

namespace Scute.Engine.Devices;

/// <summary>
/// Turns the device grants of an effective security context into what a backend binds: the
/// standard nodes and /dev/snd by name, the GPU's render nodes (/dev/dri/renderD*; the card
/// nodes only under the "gpu_card" override), and the edits of each granted CDI device.
/// Done at exec: which nodes a host has, and its CDI specs, are the host's, not the environment's.
/// </summary>
public static class DeviceGrants
{
    public const string Render = "dri";
    public const string Card = "dri-card";
    public const string CdiPrefix = "cdi:";

    /// <summary>The CDI device <c>hardware.gpu</c> asks for; applied when the host has a spec for its kind.</summary>
    public const string NvidiaAll = "nvidia.com/gpu=all";

    public sealed record Expanded(
        IReadOnlyList<string> Devices,
        IReadOnlyList<DeviceNode> Nodes,
        IReadOnlyList<BindMount> Mounts,
        IReadOnlyList<KeyValuePair<string, string>> Environment);

    public static Expanded Expand(IReadOnlyList<string> grants, string hostDev = "/dev", Func<CdiRegistry>? registry = null)
    {
        var named = new List<string>();
        var nodes = new List<DeviceNode>();
        var mounts = new List<BindMount>();
        var env = new List<KeyValuePair<string, string>>();
        CdiRegistry? specs = null;
        foreach (var grant in grants)
        {
            if (grant == Render)
            {
                nodes.AddRange(DriNodes(hostDev, "renderD"));
            }
            else if (grant == Card)
            {
                nodes.AddRange(DriNodes(hostDev, "card"));
            }
            else if (grant.StartsWith(CdiPrefix, StringComparison.Ordinal))
            {
                specs ??= (registry ?? CdiRegistry.Load)();
                var qualified = grant[CdiPrefix.Length..];
                if (!specs.HasKind(CdiRegistry.Split(qualified).Kind))
                {
                    continue;
                }

                var (spec, edits) = specs.Resolve(qualified);
                Apply(qualified, spec, edits, nodes, mounts, env);
            }
            else
            {
                named.Add(grant);
            }
        }

        return new Expanded(named, [.. nodes.DistinctBy(n => n.Path)], mounts, env);
    }

    /// <summary>The grants that are plain /dev names, without this host's nodes or CDI edits (what an export carries).</summary>
    public static Expanded Portable(IReadOnlyList<string> grants) =>
        new([.. grants.Where(g => g is not (Render or Card) && !g.StartsWith(CdiPrefix, StringComparison.Ordinal))], [], [], []);

    /// <summary>How many NVIDIA GPUs a Kubernetes Pod should request for these grants (CDI's "all" has no count there: one).</summary>
    public static int NvidiaGpus(IReadOnlyList<string> grants) => grants.Contains(CdiPrefix + NvidiaAll) ? 1 : 0;

    private static IEnumerable<DeviceNode> DriNodes(string hostDev, string prefix)
    {
        var dri = Path.Combine(hostDev, "dri");
        if (!Directory.Exists(dri))
        {
            return [];
        }

        return Directory.EnumerateFileSystemEntries(dri, prefix + "*")
            .Where(p => HostNode.Of(p) is { IsCharDevice: true })
            .Order(StringComparer.Ordinal)
            .Select(p => new DeviceNode(p, "/dev/dri/" + Path.GetFileName(p)));
    }

    private static void Apply(string qualified, CdiSpec spec, IReadOnlyList<CdiEdits> edits, List<DeviceNode> nodes, List<BindMount> mounts, List<KeyValuePair<string, string>> env)
    {
        foreach (var e in edits)
        {
            if (e.Refused.Count > 0)
            {
                throw new ContainerSetupException(
                    $"CDI device {qualified} ({spec.File}) asks for {string.Join(" and ", e.Refused)}: Scute applies device nodes, mounts and environment only, since the rest needs privilege outside the container");
            }

            foreach (var n in e.DeviceNodes)
            {
                nodes.Add(Node(qualified, n));
            }

            foreach (var m in e.Mounts)
            {
                mounts.Add(Mount(qualified, m));
            }

            foreach (var entry in e.Env)
            {
                var eq = entry.IndexOf('=', StringComparison.Ordinal);
                env.Add(new(entry[..eq], entry[(eq + 1)..]));
            }
        }
    }

    private static DeviceNode Node(string qualified, CdiDeviceNode n)
    {
        if (!n.Path.StartsWith("/dev/", StringComparison.Ordinal) || n.Path.Split('/').Contains(".."))
        {
            throw new ContainerSetupException($"CDI device {qualified}: node {n.Path} is not under /dev");
        }

        var host = HostNode.Of(n.HostPath) ?? throw new ContainerSetupException($"CDI device {qualified}: {n.HostPath} does not exist on this host");
        var wanted = n.Type switch { "b" => "block", null => null, _ => "char" };
        var actual = host.IsBlockDevice ? "block" : host.IsCharDevice ? "char" : null;
        if (actual is null)
        {
            throw new ContainerSetupException($"CDI device {qualified}: {n.HostPath} is not a device node");
        }

        if ((wanted is not null && wanted != actual)
            || (n.Major is { } major && major != host.RdevMajor)
            || (n.Minor is { } minor && minor != host.RdevMinor))
        {
            throw new ContainerSetupException(
                $"CDI device {qualified}: {n.HostPath} is {actual} {host.RdevMajor}:{host.RdevMinor}, not the {wanted ?? actual} {n.Major?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}:{n.Minor?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} the spec names");
        }

        return new DeviceNode(n.HostPath, n.Path);
    }

    private static BindMount Mount(string qualified, CdiMount m)
    {
        if (!m.Options.Contains("bind") && !m.Options.Contains("rbind"))
        {
            throw new ContainerSetupException($"CDI device {qualified}: mount of {m.ContainerPath} is not a bind mount (type {m.Type ?? "none"}); Scute binds host paths only");
        }

        if (m.ContainerPath.Split('/').Contains(".."))
        {
            throw new ContainerSetupException($"CDI device {qualified}: mount target {m.ContainerPath} leaves the root");
        }

        var source = Scute.Policy.Checks.SymlinkResolver.Resolve(m.HostPath);
        if (source is null || (!File.Exists(source) && !Directory.Exists(source)))
        {
            throw new ContainerSetupException($"CDI device {qualified}: {m.HostPath} does not exist on this host");
        }

        return new BindMount(source, m.ContainerPath, ReadOnly: m.Options.Contains("ro"));
    }
}

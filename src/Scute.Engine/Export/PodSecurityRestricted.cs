using YamlDotNet.RepresentationModel;

namespace Scute.Engine.Export;

/// <summary>One rule of a Pod Security Standard a Pod breaks, named by the check id Kubernetes' pod-security-admission uses.</summary>
public sealed record PodSecurityViolation(string Rule, string Detail)
{
    public override string ToString() => $"{Rule}: {Detail}";
}

/// <summary>
/// The Pod Security Standard "restricted" profile (Kubernetes 1.25+; it includes "baseline"), each
/// rule a small function over the Pod's YAML, registered in one list in the order the standard
/// lists them. A Pod passes when the list of violations is empty.
/// </summary>
public static class PodSecurityRestricted
{
    private static readonly HashSet<string> BaselineCapabilities = new(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
        "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    private static readonly HashSet<string> RestrictedVolumeTypes = new(StringComparer.Ordinal)
    {
        "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
    };

    private static readonly HashSet<string> SafeSysctls = new(StringComparer.Ordinal)
    {
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
    };

    /// <summary>Every rule, by id. Ids are unique (checked by the tests).</summary>
    public static IReadOnlyList<(string Id, Func<YamlMappingNode, IEnumerable<string>> Check)> Rules { get; } =
    [
        ("hostProcess", HostProcess),
        ("hostNamespaces", HostNamespaces),
        ("privileged", Privileged),
        ("capabilities_baseline", CapabilitiesBaseline),
        ("hostPathVolumes", HostPathVolumes),
        ("hostPorts", HostPorts),
        ("appArmorProfile", AppArmor),
        ("seLinuxOptions", SeLinux),
        ("procMount", ProcMount),
        ("seccompProfile_baseline", SeccompBaseline),
        ("sysctls", Sysctls),
        ("restrictedVolumes", RestrictedVolumes),
        ("allowPrivilegeEscalation", AllowPrivilegeEscalation),
        ("runAsNonRoot", RunAsNonRoot),
        ("runAsUser", RunAsUser),
        ("seccompProfile_restricted", SeccompRestricted),
        ("capabilities_restricted", CapabilitiesRestricted),
    ];

    public static IReadOnlyList<PodSecurityViolation> Check(YamlMappingNode pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return [.. Rules.SelectMany(r => r.Check(pod).Select(detail => new PodSecurityViolation(r.Id, detail)))];
    }

    private static IEnumerable<string> HostProcess(YamlMappingNode pod) =>
        Contexts(pod).Where(c => Text(Get(c.Context, "windowsOptions", "hostProcess")) == "true").Select(c => $"{c.Where} sets windowsOptions.hostProcess");

    private static IEnumerable<string> HostNamespaces(YamlMappingNode pod) =>
        new[] { "hostNetwork", "hostPID", "hostIPC" }.Where(k => Text(Get(pod, "spec", k)) == "true").Select(k => $"spec.{k} is true");

    private static IEnumerable<string> Privileged(YamlMappingNode pod) =>
        Containers(pod).Where(c => Text(Get(c.Node, "securityContext", "privileged")) == "true").Select(c => $"{c.Where} is privileged");

    private static IEnumerable<string> CapabilitiesBaseline(YamlMappingNode pod) =>
        Containers(pod).SelectMany(c => Strings(Get(c.Node, "securityContext", "capabilities", "add"))
            .Where(cap => !BaselineCapabilities.Contains(Bare(cap))).Select(cap => $"{c.Where} adds {cap}, outside the baseline set"));

    private static IEnumerable<string> HostPathVolumes(YamlMappingNode pod) =>
        Volumes(pod).Where(v => v.Children.ContainsKey(new YamlScalarNode("hostPath"))).Select(v => $"volume {Text(Get(v, "name"))} is a hostPath");

    private static IEnumerable<string> HostPorts(YamlMappingNode pod) =>
        Containers(pod).SelectMany(c => Items(Get(c.Node, "ports")).OfType<YamlMappingNode>()
            .Where(p => Text(Get(p, "hostPort")) is { } port && port != "0").Select(p => $"{c.Where} uses hostPort {Text(Get(p, "hostPort"))}"));

    private static IEnumerable<string> AppArmor(YamlMappingNode pod) =>
        Contexts(pod).Where(c => Text(Get(c.Context, "appArmorProfile", "type")) is { } t && t is not ("RuntimeDefault" or "Localhost"))
            .Select(c => $"{c.Where} sets appArmorProfile.type {Text(Get(c.Context, "appArmorProfile", "type"))}");

    private static IEnumerable<string> SeLinux(YamlMappingNode pod) =>
        Contexts(pod).SelectMany(c =>
        {
            var type = Text(Get(c.Context, "seLinuxOptions", "type"));
            var bad = new List<string>();
            if (type is not (null or "" or "container_t" or "container_init_t" or "container_kvm_t" or "container_engine_t"))
            {
                bad.Add($"{c.Where} sets seLinuxOptions.type {type}");
            }

            bad.AddRange(new[] { "user", "role" }.Where(k => !string.IsNullOrEmpty(Text(Get(c.Context, "seLinuxOptions", k)))).Select(k => $"{c.Where} sets seLinuxOptions.{k}"));
            return bad;
        });

    private static IEnumerable<string> ProcMount(YamlMappingNode pod) =>
        Containers(pod).Where(c => Text(Get(c.Node, "securityContext", "procMount")) is { } m && m != "Default").Select(c => $"{c.Where} sets procMount");

    private static IEnumerable<string> SeccompBaseline(YamlMappingNode pod) =>
        Contexts(pod).Where(c => Text(Get(c.Context, "seccompProfile", "type")) == "Unconfined").Select(c => $"{c.Where} sets seccompProfile Unconfined");

    private static IEnumerable<string> Sysctls(YamlMappingNode pod) =>
        Items(Get(pod, "spec", "securityContext", "sysctls")).OfType<YamlMappingNode>()
            .Select(s => Text(Get(s, "name")) ?? "").Where(n => !SafeSysctls.Contains(n)).Select(n => $"sysctl {n} is not in the safe set");

    private static IEnumerable<string> RestrictedVolumes(YamlMappingNode pod) =>
        Volumes(pod).SelectMany(v => v.Children.Keys.Select(Text).Where(k => k is not null and not "name" && !RestrictedVolumeTypes.Contains(k))
            .Select(k => $"volume {Text(Get(v, "name"))} is of type {k}"));

    private static IEnumerable<string> AllowPrivilegeEscalation(YamlMappingNode pod) =>
        Containers(pod).Where(c => Text(Get(c.Node, "securityContext", "allowPrivilegeEscalation")) != "false")
            .Select(c => $"{c.Where} does not set securityContext.allowPrivilegeEscalation to false");

    private static IEnumerable<string> RunAsNonRoot(YamlMappingNode pod)
    {
        var podLevel = Text(Get(pod, "spec", "securityContext", "runAsNonRoot"));
        foreach (var c in Containers(pod))
        {
            var own = Text(Get(c.Node, "securityContext", "runAsNonRoot"));
            if (own == "false" || (own is null && podLevel != "true"))
            {
                yield return $"{c.Where} does not set runAsNonRoot to true (nor does the Pod)";
            }
        }

        if (podLevel == "false")
        {
            yield return "spec.securityContext.runAsNonRoot is false";
        }
    }

    private static IEnumerable<string> RunAsUser(YamlMappingNode pod) =>
        Contexts(pod).Where(c => Text(Get(c.Context, "runAsUser")) == "0").Select(c => $"{c.Where} sets runAsUser 0");

    private static IEnumerable<string> SeccompRestricted(YamlMappingNode pod)
    {
        var podType = Text(Get(pod, "spec", "securityContext", "seccompProfile", "type"));
        foreach (var c in Containers(pod))
        {
            var type = Text(Get(c.Node, "securityContext", "seccompProfile", "type")) ?? podType;
            if (type is not ("RuntimeDefault" or "Localhost"))
            {
                yield return $"{c.Where} has seccompProfile {type ?? "unset"}; RuntimeDefault or Localhost is required";
            }
        }
    }

    private static IEnumerable<string> CapabilitiesRestricted(YamlMappingNode pod)
    {
        foreach (var c in Containers(pod))
        {
            if (!Strings(Get(c.Node, "securityContext", "capabilities", "drop")).Any(d => d == "ALL"))
            {
                yield return $"{c.Where} does not drop ALL capabilities";
            }

            foreach (var cap in Strings(Get(c.Node, "securityContext", "capabilities", "add")).Where(a => Bare(a) != "NET_BIND_SERVICE"))
            {
                yield return $"{c.Where} adds {cap}; only NET_BIND_SERVICE may be added";
            }
        }
    }

    private static string Bare(string cap) => cap.StartsWith("CAP_", StringComparison.Ordinal) ? cap[4..] : cap;

    private static IEnumerable<(YamlMappingNode Node, string Where)> Containers(YamlMappingNode pod) =>
        new[] { "initContainers", "containers", "ephemeralContainers" }.SelectMany(kind =>
            Items(Get(pod, "spec", kind)).OfType<YamlMappingNode>().Select(c => (c, $"{kind[..^1]} {Text(Get(c, "name")) ?? "?"}")));

    /// <summary>The Pod's securityContext and each container's, where they exist.</summary>
    private static IEnumerable<(YamlMappingNode Context, string Where)> Contexts(YamlMappingNode pod)
    {
        if (Get(pod, "spec", "securityContext") is YamlMappingNode podContext)
        {
            yield return (podContext, "spec.securityContext");
        }

        foreach (var (node, where) in Containers(pod))
        {
            if (Get(node, "securityContext") is YamlMappingNode context)
            {
                yield return (context, where + " securityContext");
            }
        }
    }

    private static IEnumerable<YamlMappingNode> Volumes(YamlMappingNode pod) => Items(Get(pod, "spec", "volumes")).OfType<YamlMappingNode>();

    private static YamlNode? Get(YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }

        return node;
    }

    private static string? Text(YamlNode? node) => (node as YamlScalarNode)?.Value;

    private static IEnumerable<YamlNode> Items(YamlNode? node) => node is YamlSequenceNode seq ? seq.Children : [];

    private static IEnumerable<string> Strings(YamlNode? node) => Items(node).Select(Text).OfType<string>();
}

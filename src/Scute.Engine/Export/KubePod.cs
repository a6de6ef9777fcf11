using System.Globalization;
using System.Text.RegularExpressions;
using Scute.Runtime;
using YamlDotNet.RepresentationModel;

namespace Scute.Engine.Export;

/// <summary>
/// A Kubernetes Pod (core/v1) that carries the environment's security context: the container's
/// securityContext says who it runs as, that it cannot gain privileges, its read-only root, its
/// capabilities and its seccomp profile; /tmp, /var/tmp and /run are emptyDir volumes; only the
/// manifest's validated mounts become hostPath volumes. Built as a YAML node tree and written by
/// YamlDotNet's emitter: no serializer, no reflection.
/// </summary>
public static partial class KubePod
{
    /// <param name="spec">The environment's run spec, with its image and env_id set.</param>
    /// <param name="localhostProfile">The file of Scute's resolved seccomp profile, beside the Pod; null when unconfined.</param>
    /// <param name="nvidiaGpus">GPUs to request through NVIDIA's device plugin (the resource <c>nvidia.com/gpu</c>); 0 for none.</param>
    public static YamlMappingNode Build(RunSpec spec, string name, string? localhostProfile, IReadOnlyDictionary<string, string> annotations, int nvidiaGpus = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(annotations);
        var podName = DnsLabel(name);
        var seccomp = localhostProfile is not null
            ? Map(("type", "Localhost"), ("localhostProfile", localhostProfile))
            : Map(("type", "Unconfined"));
        var capabilities = Map(("drop", Seq("ALL")));
        if (spec.Capabilities.Count > 0)
        {
            capabilities.Add("add", Seq([.. spec.Capabilities.Order(StringComparer.Ordinal)]));
        }

        var securityContext = Map(
            ("runAsNonRoot", Bool(spec.Uid != 0)),
            ("runAsUser", Int(spec.Uid)),
            ("runAsGroup", Int(spec.Gid)),
            ("allowPrivilegeEscalation", Bool(!spec.NoNewPrivileges)),
            ("privileged", Bool(false)),
            ("readOnlyRootFilesystem", Bool(spec.ReadOnlyRoot)),
            ("capabilities", capabilities),
            ("seccompProfile", seccomp));

        var mounts = new YamlSequenceNode();
        var volumes = new YamlSequenceNode();
        var tmpfs = (spec.ReadOnlyRoot ? new[] { ("tmp", "/tmp"), ("var-tmp", "/var/tmp"), ("run", "/run") } : [("run", "/run")]).ToList();
        if (spec.Home is { } home)
        {
            // The image has the home folder, owned by the user (the account layer); a writable one
            // under the read-only root is a volume, as the namespace backend's private tmpfs.
            tmpfs.Add(("home", home.Path));
        }

        foreach (var (volume, path) in tmpfs)
        {
            mounts.Add(Map(("name", volume), ("mountPath", path)));
            volumes.Add(Map(("name", volume), ("emptyDir", new YamlMappingNode())));
        }

        foreach (var (m, i) in spec.Mounts.Select((m, i) => (m, i)))
        {
            var volume = string.Create(CultureInfo.InvariantCulture, $"mount-{i}");
            mounts.Add(Map(("name", volume), ("mountPath", m.Target), ("readOnly", Bool(m.ReadOnly))));
            volumes.Add(Map(("name", volume), ("hostPath", Map(("path", m.Source), ("type", "Directory")))));
        }

        var env = new YamlSequenceNode();
        foreach (var (k, v) in spec.Environment.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            env.Add(Map(("name", k), ("value", v)));
        }

        var container = Map(
            ("name", podName),
            ("image", spec.Image ?? throw new ArgumentException("the spec names no image", nameof(spec))),
            ("imagePullPolicy", "Never"),
            ("workingDir", spec.WorkingDir),
            ("env", env),
            ("securityContext", securityContext),
            ("volumeMounts", mounts));
        var limits = new YamlMappingNode();
        if (spec.Limits.MemoryLimitMb is { } mb)
        {
            limits.Add("memory", Str(string.Create(CultureInfo.InvariantCulture, $"{mb}Mi")));
        }

        if (nvidiaGpus > 0)
        {
            // Extended resources are requested as limits; the device plugin hands the devices in.
            limits.Add("nvidia.com/gpu", Str(nvidiaGpus.ToString(CultureInfo.InvariantCulture)));
        }

        if (limits.Children.Count > 0)
        {
            container.Add("resources", Map(("limits", limits)));
        }

        var metadataAnnotations = new YamlMappingNode();
        foreach (var (k, v) in annotations)
        {
            metadataAnnotations.Add(k, Str(v));
        }

        // Podman's kube play (4.x) reads the profile only from the older annotation, not from the
        // fields; Kubernetes accepts both when they agree. Podman refuses values over 63 characters.
        if (localhostProfile is not null && LocalhostAnnotationPrefix.Length + localhostProfile.Length <= 63)
        {
            metadataAnnotations.Add(SeccompPodAnnotation, Str(LocalhostAnnotationPrefix + localhostProfile));
        }

        return Map(
            ("apiVersion", "v1"),
            ("kind", "Pod"),
            ("metadata", Map(("name", podName), ("labels", Map(("app.kubernetes.io/name", podName))), ("annotations", metadataAnnotations))),
            ("spec", Map(
                ("hostname", podName),
                ("restartPolicy", "Never"),
                ("securityContext", Map(("runAsNonRoot", Bool(spec.Uid != 0)), ("seccompProfile", seccomp))),
                ("containers", new YamlSequenceNode(container)),
                ("volumes", volumes))));
    }

    public const string SeccompPodAnnotation = "seccomp.security.alpha.kubernetes.io/pod";

    private const string LocalhostAnnotationPrefix = "localhost/";

    public static string ToYaml(YamlMappingNode pod)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(pod)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>An RFC 1123 label (what a Pod and container name must be) from an environment's name.</summary>
    public static string DnsLabel(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var label = NotDns().Replace(name.ToLowerInvariant(), "-").Trim('-');
        label = label.Length > 63 ? label[..63].TrimEnd('-') : label;
        return label.Length == 0 ? "scute" : label;
    }

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NotDns();

    private static YamlMappingNode Map(params (string Key, object Value)[] entries)
    {
        var map = new YamlMappingNode();
        foreach (var (k, v) in entries)
        {
            map.Add(new YamlScalarNode(k), v switch
            {
                YamlNode node => node,
                string s => Str(s),
                _ => throw new ArgumentException($"unsupported value for {k}"),
            });
        }

        return map;
    }

    private static YamlSequenceNode Seq(params string[] items) => new([.. items.Select(i => (YamlNode)Str(i))]);

    /// <summary>A string that must stay a string (never read back as a number or boolean).</summary>
    private static YamlScalarNode Str(string s) => new(s) { Style = NeedsQuotes(s) ? YamlDotNet.Core.ScalarStyle.DoubleQuoted : YamlDotNet.Core.ScalarStyle.Any };

    private static bool NeedsQuotes(string s) =>
        s.Length == 0 || s is "true" or "false" or "yes" or "no" or "on" or "off" or "null" or "~" || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static YamlScalarNode Bool(bool b) => new(b ? "true" : "false") { Style = YamlDotNet.Core.ScalarStyle.Plain };

    private static YamlScalarNode Int(int i) => new(i.ToString(CultureInfo.InvariantCulture)) { Style = YamlDotNet.Core.ScalarStyle.Plain };
}

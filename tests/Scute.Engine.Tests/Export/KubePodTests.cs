using Scute.Engine.Export;
using YamlDotNet.RepresentationModel;

namespace Scute.Engine.Tests.Export;

public sealed class KubePodTests
{
    private static readonly Dictionary<string, string> NoAnnotations = [];

    /// <summary>The Pod written out and read back, as kubectl would read it.</summary>
    private static YamlMappingNode RoundTrip(YamlMappingNode pod)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(KubePod.ToYaml(pod)));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlNode At(YamlNode node, params object[] path)
    {
        foreach (var step in path)
        {
            node = step is int i ? ((YamlSequenceNode)node).Children[i] : ((YamlMappingNode)node).Children[new YamlScalarNode((string)step)];
        }

        return node;
    }

    private static string Text(YamlNode node, params object[] path) => ((YamlScalarNode)At(node, path)).Value!;

    [Fact]
    public void Container_security_context_carries_the_environments()
    {
        var pod = RoundTrip(KubePod.Build(ExportSpecs.Strict("NET_BIND_SERVICE"), "Web_1", "web-1.seccomp.json", NoAnnotations));

        var sc = At(pod, "spec", "containers", 0, "securityContext");
        Assert.Equal("true", Text(sc, "runAsNonRoot"));
        Assert.Equal("1001", Text(sc, "runAsUser"));
        Assert.Equal("1001", Text(sc, "runAsGroup"));
        Assert.Equal("false", Text(sc, "allowPrivilegeEscalation"));
        Assert.Equal("true", Text(sc, "readOnlyRootFilesystem"));
        Assert.Equal("ALL", Text(sc, "capabilities", "drop", 0));
        Assert.Equal("NET_BIND_SERVICE", Text(sc, "capabilities", "add", 0));
        Assert.Equal("Localhost", Text(sc, "seccompProfile", "type"));
        Assert.Equal("web-1.seccomp.json", Text(sc, "seccompProfile", "localhostProfile"));
        Assert.Equal("web-1", Text(pod, "metadata", "name"));
        Assert.Equal("localhost/scute/web:0123456789ab", Text(pod, "spec", "containers", 0, "image"));
        Assert.Equal("Never", Text(pod, "spec", "containers", 0, "imagePullPolicy"));
    }

    [Fact]
    public void Tmp_and_run_are_empty_dirs_and_only_manifest_mounts_are_host_paths()
    {
        var pod = RoundTrip(KubePod.Build(ExportSpecs.WithMount(ExportSpecs.Strict()), "web", "web.seccomp.json", NoAnnotations));

        var volumes = ((YamlSequenceNode)At(pod, "spec", "volumes")).Children.Cast<YamlMappingNode>().ToList();
        var mounts = ((YamlSequenceNode)At(pod, "spec", "containers", 0, "volumeMounts")).Children.Cast<YamlMappingNode>().ToList();
        Assert.Equal(["/tmp", "/var/tmp", "/run", "/srv"], mounts.Select(m => Text(m, "mountPath")));
        Assert.Equal("true", Text(mounts[3], "readOnly"));
        Assert.Equal(3, volumes.Count(v => v.Children.ContainsKey(new YamlScalarNode("emptyDir"))));
        var host = volumes.Single(v => v.Children.ContainsKey(new YamlScalarNode("hostPath")));
        Assert.Equal("/home/u/site", Text(host, "hostPath", "path"));
    }

    [Fact]
    public void Scutes_profile_is_localhost_and_unconfined_says_so()
    {
        var custom = RoundTrip(KubePod.Build(ExportSpecs.Strict(), "web", "web.seccomp.json", NoAnnotations));
        var unconfined = RoundTrip(KubePod.Build(ExportSpecs.Strict(), "web", null, NoAnnotations));

        Assert.Equal("Localhost", Text(custom, "spec", "containers", 0, "securityContext", "seccompProfile", "type"));
        Assert.Equal("web.seccomp.json", Text(custom, "spec", "containers", 0, "securityContext", "seccompProfile", "localhostProfile"));
        Assert.Equal("localhost/web.seccomp.json", Text(custom, "metadata", "annotations", KubePod.SeccompPodAnnotation));
        Assert.Equal("Unconfined", Text(unconfined, "spec", "containers", 0, "securityContext", "seccompProfile", "type"));
        Assert.False(((YamlMappingNode)At(unconfined, "metadata", "annotations")).Children.ContainsKey(new YamlScalarNode(KubePod.SeccompPodAnnotation)));
    }

    [Fact]
    public void Values_that_look_like_numbers_or_booleans_stay_strings()
    {
        var spec = ExportSpecs.Strict() with { Environment = new Dictionary<string, string> { ["A"] = "true", ["B"] = "0123", ["C"] = "" } };

        var yaml = KubePod.ToYaml(KubePod.Build(spec, "web", "web.seccomp.json", NoAnnotations));

        Assert.Contains("value: \"true\"", yaml, StringComparison.Ordinal);
        Assert.Contains("value: \"0123\"", yaml, StringComparison.Ordinal);
        Assert.Contains("value: \"\"", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void The_exported_strict_pod_passes_pod_security_restricted()
    {
        var pod = RoundTrip(KubePod.Build(ExportSpecs.Strict("NET_BIND_SERVICE"), "web", "web.seccomp.json", NoAnnotations));

        Assert.Empty(PodSecurityRestricted.Check(pod));
    }

    [Fact]
    public void A_capability_other_than_net_bind_service_fails_restricted_and_names_the_rule()
    {
        var pod = RoundTrip(KubePod.Build(ExportSpecs.Strict("SYS_TIME"), "web", "web.seccomp.json", NoAnnotations));

        var violations = PodSecurityRestricted.Check(pod);

        Assert.Contains(violations, v => v.Rule == "capabilities_restricted" && v.Detail.Contains("SYS_TIME", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Rule == "capabilities_baseline");
    }

    [Fact]
    public void A_gpu_grant_becomes_a_request_for_the_nvidia_resource_beside_the_memory_limit()
    {
        var spec = ExportSpecs.Strict() with { Limits = new Scute.Runtime.LimitSpec(null, 64) };
        var pod = RoundTrip(KubePod.Build(spec, "web", "web.seccomp.json", NoAnnotations, nvidiaGpus: 1));
        var without = RoundTrip(KubePod.Build(spec, "web", "web.seccomp.json", NoAnnotations));

        Assert.Equal("1", Text(pod, "spec", "containers", 0, "resources", "limits", "nvidia.com/gpu"));
        Assert.Equal("64Mi", Text(pod, "spec", "containers", 0, "resources", "limits", "memory"));
        Assert.False(((YamlMappingNode)At(without, "spec", "containers", 0, "resources", "limits")).Children.ContainsKey("nvidia.com/gpu"));
        Assert.Empty(PodSecurityRestricted.Check(pod));
    }

    [Theory]
    [InlineData("web", "web")]
    [InlineData("My_Env.2", "my-env-2")]
    [InlineData("___", "scute")]
    public void Names_become_dns_labels(string name, string label) => Assert.Equal(label, KubePod.DnsLabel(name));
}

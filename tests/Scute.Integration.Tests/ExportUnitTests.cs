using Scute.Engine.Export;
using Scute.Integration.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Scute.Integration.Tests;

/// <summary>`scute export quadlet|kube`: the environment's context for Quadlet and Kubernetes, run here with Podman.</summary>
[Trait("Category", "Integration")]
public sealed class ExportUnitTests
{
    private const string SysTime = "\n[security.capabilities]\nSYS_TIME = \"keeps the clock of this appliance in step with its GPS receiver\"\n";

    /// <summary>Where Debian's podman would ship the Quadlet generator (bookworm's 4.3 ships none).</summary>
    private static readonly string[] QuadletPaths = ["/usr/libexec/podman/quadlet", "/usr/lib/podman/quadlet", "/usr/lib/systemd/system-generators/podman-system-generator"];

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(file);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    [SkippableFact]
    public void The_exported_strict_pod_passes_every_restricted_rule_and_says_nothing()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict + "\n[security.capabilities]\nNET_BIND_SERVICE = \"serves HTTP on port 80 to the LAN\"\n", name: "web");

        var r = s.Scute("export", "kube", env);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Empty(r.Stderr);
        Assert.Empty(PodSecurityRestricted.Check(Load(Path.Combine(s.Project, "web.yaml"))));
    }

    [SkippableFact]
    public void An_added_capability_beyond_net_bind_service_is_a_warning_naming_the_rule()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict + SysTime, name: "clock");

        var r = s.Scute("export", "kube", env, Path.Combine(s.Root, "clock.yaml"));

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("restricted\" rule capabilities_restricted", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("SYS_TIME", r.Stderr, StringComparison.Ordinal);
        Assert.Contains(PodSecurityRestricted.Check(Load(Path.Combine(s.Root, "clock.yaml"))), v => v.Rule == "capabilities_restricted");
    }

    [SkippableFact]
    public void The_exported_pod_runs_with_podman_kube_play_and_the_probe_agrees()
    {
        Podman.SkipIfMissing();
        Skip.IfNot(File.Exists("/usr/bin/catatonit") || File.Exists("/usr/libexec/podman/catatonit"), "kube play needs catatonit for the pod's infra container (./test.sh installs it)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict, name: "kubeprobe");
        var archive = Path.Combine(s.Root, "img.tar");
        var yaml = Path.Combine(s.Root, "pod.yaml");
        Assert.Equal(0, s.Scute("export", "oci-archive", env, archive).ExitCode);
        Assert.Equal(0, s.Scute("export", "kube", env, yaml).ExitCode);
        Podman.Check(s.User, s.Project, "load", "-i", archive);
        // The probe replaces the image's command, as an operator's Pod would name its own.
        var pod = Load(yaml);
        var container = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)pod.Children[new YamlScalarNode("spec")]).Children[new YamlScalarNode("containers")]).Children[0];
        container.Add("command", new YamlSequenceNode(new YamlScalarNode("sh"), new YamlScalarNode("-c"), new YamlScalarNode(InsideProbe.Script)));
        s.Write("probe.yaml", KubePod.ToYaml(pod));

        try
        {
            // Network none: the Pod's infra has no slirp4netns here, and isolation is what the manifest asks.
            // Scute's profile went beside the Pod (Localhost); the kubelet's seccomp folder is that folder here.
            Assert.True(File.Exists(Path.Combine(s.Root, "pod.seccomp.json")));
            Podman.Check(s.User, s.Project, "kube", "play", "--network", "none", "--seccomp-profile-root", s.Root, Path.Combine(s.Project, "probe.yaml"));
            var name = "kubeprobe-kubeprobe";
            Podman.Check(s.User, s.Project, "wait", name);
            var logs = Podman.Check(s.User, s.Project, "logs", name);
            var exit = Podman.Check(s.User, s.Project, "inspect", "--format", "{{.State.ExitCode}}", name);
            var report = InsideProbe.Parse(new ProcessResult(int.Parse(exit.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture), logs.Stdout, logs.Stderr));

            var namespaced = InsideProbe.Exec(s, s.Build(Manifests.Strict, "namespace.toml"));
            InsideProbe.AssertStrict(report, callerTerm: false);
            Assert.Equal(namespaced.Enforcement.OrderBy(kv => kv.Key), report.Enforcement.OrderBy(kv => kv.Key));
        }
        finally
        {
            Podman.Run(s.User, s.Project, "kube", "down", Path.Combine(s.Project, "probe.yaml"));
        }
    }

    [SkippableFact]
    public void The_quadlet_unit_has_every_key_and_passes_the_generator()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.StrictWithWorkspace + "\n[security.capabilities]\nNET_BIND_SERVICE = \"serves HTTP on port 80 to the LAN\"\n", name: "unit");

        var r = s.Scute("export", "quadlet", env);

        Assert.True(r.ExitCode == 0, r.ToString());
        var unit = File.ReadAllLines(Path.Combine(s.Project, "unit.container"));
        var profile = Path.Combine(s.Project, "unit.seccomp.json");
        Assert.True(File.Exists(profile));
        foreach (var line in new[]
        {
            $"Image=localhost/scute/unit:{env}", "User=1001", "Group=1001", "ReadOnly=true", "ReadOnlyTmpfs=true", "NoNewPrivileges=true",
            "DropCapability=ALL", "AddCapability=NET_BIND_SERVICE", $"SeccompProfile={profile}", $"Volume={s.Project}:/workspace:rw", "Network=none",
        })
        {
            Assert.Contains(line, unit);
        }

        Assert.Contains(unit, l => l.StartsWith("Environment=PATH=", StringComparison.Ordinal));

        var quadlet = QuadletPaths.FirstOrDefault(File.Exists);
        Skip.If(quadlet is null, "no Quadlet generator on this machine: Debian bookworm's podman 4.3 does not ship quadlet (it came with Podman 4.4); the unit's keys are checked above");
        var units = s.User.NewFolder();
        s.User.RunAs(["cp", Path.Combine(s.Project, "unit.container"), units]);
        var dry = s.User.RunAs([quadlet!, "-dryrun", "-user"], s.Project, new Dictionary<string, string> { ["QUADLET_UNIT_DIRS"] = units });
        Assert.True(dry.ExitCode == 0, dry.ToString());
        foreach (var flag in new[] { "--read-only", "--security-opt no-new-privileges", "--cap-drop all", "--cap-add net_bind_service", "--user 1001:1001", "seccomp=", "--network none", "--unsetenv-all" })
        {
            Assert.Contains(flag, dry.Stdout, StringComparison.OrdinalIgnoreCase);
        }
    }
}

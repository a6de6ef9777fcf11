using Scute.Engine.Export;
using YamlDotNet.RepresentationModel;

namespace Scute.Engine.Tests.Export;

/// <summary>Each rule of Pod Security "restricted": a compliant Pod passes, and one change breaks exactly that rule.</summary>
public sealed class PodSecurityRestrictedTests
{
    private const string Compliant = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          securityContext:
            runAsNonRoot: true
            seccompProfile:
              type: RuntimeDefault
          containers:
          - name: web
            image: localhost/scute/web:1
            securityContext:
              runAsUser: 1001
              allowPrivilegeEscalation: false
              capabilities:
                drop: [ALL]
                add: [NET_BIND_SERVICE]
          volumes:
          - name: tmp
            emptyDir: {}
        """;

    private static YamlMappingNode Pod(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static string Edit(string find, string replace) => Compliant.Replace(find, replace, StringComparison.Ordinal);

    public static TheoryData<string, string> Breaks => new()
    {
        { "hostProcess", Edit("      runAsUser: 1001\n", "      runAsUser: 1001\n      windowsOptions:\n        hostProcess: true\n") },
        { "hostNamespaces", Edit("spec:\n", "spec:\n  hostNetwork: true\n") },
        { "privileged", Edit("      runAsUser: 1001\n", "      runAsUser: 1001\n      privileged: true\n") },
        { "hostPorts", Edit("    image: localhost/scute/web:1\n", "    image: localhost/scute/web:1\n    ports:\n    - containerPort: 80\n      hostPort: 80\n") },
        { "appArmorProfile", Edit("      runAsUser: 1001\n", "      runAsUser: 1001\n      appArmorProfile:\n        type: Unconfined\n") },
        { "seLinuxOptions", Edit("      runAsUser: 1001\n", "      runAsUser: 1001\n      seLinuxOptions:\n        user: system_u\n") },
        { "procMount", Edit("      runAsUser: 1001\n", "      runAsUser: 1001\n      procMount: Unmasked\n") },
        { "sysctls", Edit("    runAsNonRoot: true\n", "    runAsNonRoot: true\n    sysctls:\n    - name: kernel.msgmax\n      value: \"1\"\n") },
        { "restrictedVolumes", Edit("    emptyDir: {}", "    emptyDir: {}\n  - name: n\n    nfs:\n      server: x\n      path: /") },
        { "allowPrivilegeEscalation", Edit("      allowPrivilegeEscalation: false\n", "") },
        { "runAsNonRoot", Edit("    runAsNonRoot: true\n", "") },
        { "runAsUser", Edit("runAsUser: 1001", "runAsUser: 0") },
        { "seccompProfile_restricted", Edit("    seccompProfile:\n      type: RuntimeDefault\n", "") },
    };

    [Fact]
    public void A_compliant_pod_passes()
    {
        Assert.Empty(PodSecurityRestricted.Check(Pod(Compliant)));
    }

    [Theory]
    [MemberData(nameof(Breaks))]
    public void One_change_breaks_exactly_its_rule(string rule, string yaml)
    {
        var violations = PodSecurityRestricted.Check(Pod(yaml));

        Assert.True(violations.Select(v => v.Rule).Distinct().SequenceEqual([rule]), string.Join("; ", violations));
    }

    [Fact]
    public void Host_path_breaks_the_baseline_and_the_restricted_volume_rules()
    {
        var yaml = Edit("    emptyDir: {}", "    hostPath:\n      path: /srv");

        var v = PodSecurityRestricted.Check(Pod(yaml));
        Assert.True(v.Select(x => x.Rule).SequenceEqual(["hostPathVolumes", "restrictedVolumes"]), string.Join("; ", v));
    }

    [Fact]
    public void Unconfined_seccomp_breaks_baseline_and_restricted()
    {
        var yaml = Edit("      type: RuntimeDefault\n", "      type: Unconfined\n");

        Assert.Equal(["seccompProfile_baseline", "seccompProfile_restricted"], PodSecurityRestricted.Check(Pod(yaml)).Select(v => v.Rule));
    }

    [Fact]
    public void Capabilities_must_drop_all_and_add_only_net_bind_service()
    {
        var noDrop = Edit("        drop: [ALL]\n", "");
        var chown = Edit("add: [NET_BIND_SERVICE]", "add: [CHOWN]");
        var sysAdmin = Edit("add: [NET_BIND_SERVICE]", "add: [SYS_ADMIN]");

        Assert.Equal(["capabilities_restricted"], PodSecurityRestricted.Check(Pod(noDrop)).Select(v => v.Rule));
        Assert.Equal(["capabilities_restricted"], PodSecurityRestricted.Check(Pod(chown)).Select(v => v.Rule));
        Assert.Equal(["capabilities_baseline", "capabilities_restricted"], PodSecurityRestricted.Check(Pod(sysAdmin)).Select(v => v.Rule));
    }

    [Fact]
    public void Rule_ids_are_unique_and_every_rule_has_a_failing_fixture()
    {
        var ids = PodSecurityRestricted.Rules.Select(r => r.Id).ToList();
        var covered = Breaks.Select(row => (string)row[0]).Concat(["hostPathVolumes", "seccompProfile_baseline", "capabilities_baseline", "capabilities_restricted"]);

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Empty(ids.Except(covered));
    }
}

using Scute.Runtime.Seccomp;
using static Scute.Runtime.Tests.Seccomp.Programs;

namespace Scute.Runtime.Tests.Seccomp;

public sealed class SeccompProfileTests
{
    private const string DockerStyle = """
        {
          "defaultAction": "SCMP_ACT_ERRNO",
          "defaultErrnoRet": 1,
          "archMap": [ { "architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"] } ],
          "syscalls": [
            { "names": ["read", "write"], "action": "SCMP_ACT_ALLOW", "comment": "always" },
            { "names": ["chroot"], "action": "SCMP_ACT_ALLOW", "includes": { "caps": ["CAP_SYS_CHROOT"] } },
            { "names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": { "caps": ["CAP_SYS_ADMIN", "CAP_SYS_CHROOT"] } },
            { "names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38, "excludes": { "caps": ["CAP_SYS_ADMIN"] } },
            { "names": ["getpid"], "action": "SCMP_ACT_ALLOW", "includes": { "arches": ["arm64"] } },
            { "names": ["gettid"], "action": "SCMP_ACT_ALLOW", "excludes": { "arches": ["amd64"] } },
            { "names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": { "minKernel": "4.8" } },
            { "names": ["kcmp"], "action": "SCMP_ACT_ALLOW", "includes": { "minKernel": "99.1" } },
            { "name": "uname", "action": "SCMP_ACT_ALLOW" }
          ]
        }
        """;

    [Fact]
    public void Includes_caps_need_every_listed_capability()
    {
        var profile = SeccompProfile.Parse(DockerStyle);

        static bool Has(ResolvedSeccompProfile r, string name) => r.Rules.Any(x => x.Name == name);
        var none = profile.Resolve([], SeccompArch.X86_64, new Version(6, 1));
        var chroot = profile.Resolve(["SYS_CHROOT"], SeccompArch.X86_64, new Version(6, 1));
        var both = profile.Resolve(["CAP_SYS_CHROOT", "sys_admin"], SeccompArch.X86_64, new Version(6, 1));

        Assert.False(Has(none, "chroot"));
        Assert.True(Has(chroot, "chroot"));
        Assert.False(Has(chroot, "mount"));
        Assert.True(Has(both, "mount"));
    }

    [Fact]
    public void Excludes_caps_drop_the_rule_when_any_is_granted()
    {
        var profile = SeccompProfile.Parse(DockerStyle);

        Assert.Equal(Errno(38), FromJson(DockerStyle, SeccompArch.X86_64).Call("clone3"));
        Assert.Equal(Errno(1), FromJson(DockerStyle, SeccompArch.X86_64, "SYS_ADMIN").Call("clone3"));
        Assert.Contains(profile.Resolve(["CHOWN"], SeccompArch.X86_64).Rules, r => r.Name == "clone3");
    }

    [Fact]
    public void Arches_are_matched_against_the_target_architecture()
    {
        var x86 = FromJson(DockerStyle, SeccompArch.X86_64);
        var arm = FromJson(DockerStyle, SeccompArch.Aarch64);

        Assert.Equal(Errno(1), x86.Call("getpid"));
        Assert.Equal(Allow, arm.Call("getpid"));
        Assert.Equal(Errno(1), x86.Call("gettid"));
        Assert.Equal(Allow, arm.Call("gettid"));
    }

    [Fact]
    public void Min_kernel_is_compared_with_the_running_kernel()
    {
        var profile = SeccompProfile.Parse(DockerStyle);

        Assert.Contains(profile.Resolve([], SeccompArch.X86_64, new Version(5, 10)).Rules, r => r.Name == "ptrace");
        Assert.DoesNotContain(profile.Resolve([], SeccompArch.X86_64, new Version(4, 4)).Rules, r => r.Name == "ptrace");
        Assert.DoesNotContain(profile.Resolve([], SeccompArch.X86_64, new Version(6, 1)).Rules, r => r.Name == "kcmp");
    }

    [Fact]
    public void The_single_name_form_and_unknown_fields_are_accepted()
    {
        Assert.Equal(Allow, FromJson(DockerStyle, SeccompArch.Aarch64).Call("uname"));
    }

    [Fact]
    public void Errno_defaults_to_eperm_and_default_errno_ret_is_used()
    {
        const string json = """
            { "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
              "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO" } ] }
            """;
        var p = FromJson(json, SeccompArch.X86_64);

        Assert.Equal(Errno(1), p.Call("mkdirat"));
        Assert.Equal(Errno(38), p.Call("read"));
    }

    [Theory]
    [InlineData("{", "invalid JSON")]
    [InlineData("[]", "invalid JSON")]
    [InlineData("null", "empty")]
    [InlineData("""{ "syscalls": [] }""", "defaultAction: no action")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_MAYBE" }""", "unknown action 'SCMP_ACT_MAYBE'")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_NOTIFY" }""", "listener")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_DENY" } ] }""", "syscalls[0]: unknown action 'SCMP_ACT_DENY'")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": [], "action": "SCMP_ACT_ERRNO" } ] }""", "syscalls[0]: no syscall names")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5000 } ] }""", "errnoRet 5000")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 6, "value": 1, "op": "SCMP_CMP_EQ" } ] } ] }""", "syscalls[0].args[0]: index must be 0..5")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 0, "value": 1, "op": "SCMP_CMP_ABOUT" } ] } ] }""", "unknown op 'SCMP_CMP_ABOUT'")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": { "minKernel": "new" } } ] }""", "minKernel")]
    public void Invalid_profiles_are_refused_with_a_message_naming_the_problem(string json, string expected)
    {
        var e = Assert.Throws<ContainerSetupException>(() => SeccompProfile.Parse(json));

        Assert.StartsWith("seccomp profile: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Filter_preparation_follows_the_mode()
    {
        Assert.Null(SeccompFilter.Prepare(SeccompSpec.Unconfined, []));
        Assert.NotNull(SeccompFilter.Prepare(SeccompSpec.Default, []));
        Assert.NotNull(SeccompFilter.Prepare(new SeccompSpec(SeccompModes.Profile, DockerStyle), []));
        Assert.Throws<ContainerSetupException>(() => SeccompFilter.Prepare(new SeccompSpec("strict", null), []));
        Assert.Throws<ContainerSetupException>(() => SeccompFilter.Prepare(new SeccompSpec(SeccompModes.Profile, null), []));
    }
}

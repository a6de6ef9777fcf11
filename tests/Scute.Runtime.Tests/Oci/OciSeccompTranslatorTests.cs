using System.Text.Json;
using Scute.Runtime.Oci;
using Scute.Runtime.Seccomp;
using Scute.Runtime.Tests.Seccomp;

namespace Scute.Runtime.Tests.Oci;

public sealed class OciSeccompTranslatorTests
{
    private const ulong Bit32 = 1UL << 32;
    private const ulong HighHalf = 0xFFFF_FFFF_0000_0000;

    /// <summary>Values that decide something in the default profile, with and without garbage in the high half.</summary>
    private static readonly ulong[] Probes =
    [
        0, 1, 2, 8, 40, 40 | Bit32, 40 | HighHalf, 41, DefaultProfile.Tiocsti, DefaultProfile.Tiocsti | Bit32,
        DefaultProfile.Tiocsti | HighHalf, DefaultProfile.Tioclinux, DefaultProfile.Tioclinux | Bit32, 0x5413, 0x5413 | Bit32,
        0x541B, 0x5401 | HighHalf, 0x10000000, 0x10000000 | Bit32, 0x01200011, 0x20000, 0x20008, 0x20008 | Bit32,
        0xffffffff, 0xffffffff | Bit32, ulong.MaxValue, DefaultProfile.CloneNamespaceFlags, 0x80, 1UL << 63,
    ];

    public static TheoryData<SeccompArch, string> Cases => new()
    {
        { SeccompArch.X86_64, "" },
        { SeccompArch.X86_64, "SYS_ADMIN" },
        { SeccompArch.X86_64, "SYS_PTRACE,NET_ADMIN,SYS_TTY_CONFIG" },
        { SeccompArch.Aarch64, "" },
        { SeccompArch.Aarch64, "SYS_ADMIN,SYS_TIME" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_default_profile_answers_every_call_as_the_namespace_filter_does(SeccompArch arch, string caps)
    {
        var granted = caps.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var bpf = Programs.Default(arch, granted);
        var oci = OciSeccompTranslator.Translate(DefaultProfile.Profile.Resolve(granted, arch), arch);
        var names = arch == SeccompArch.X86_64 ? SyscallsX64.Numbers.Keys : SyscallsArm64.Numbers.Keys;

        foreach (var name in names)
        {
            foreach (var index in new[] { 0, 1, 2 })
            {
                foreach (var value in Probes)
                {
                    var args = new ulong[6];
                    args[index] = value;
                    Assert.True(
                        bpf.Call(name, args) == LibseccompModel.Decide(oci, name, args),
                        $"{name} arg{index}={value:x}: namespace {bpf.Call(name, args):x}, oci {LibseccompModel.Decide(oci, name, args):x}");
                }
            }
        }
    }

    [Fact]
    public void Includes_and_excludes_are_resolved_before_the_runtime_sees_them()
    {
        var plain = OciSeccompTranslator.Translate(DefaultProfile.Profile.Resolve([], SeccompArch.X86_64), SeccompArch.X86_64);
        var admin = OciSeccompTranslator.Translate(DefaultProfile.Profile.Resolve(["SYS_ADMIN"], SeccompArch.X86_64), SeccompArch.X86_64);

        var json = JsonSerializer.Serialize(plain, OciJsonContext.Default.OciSeccomp);
        Assert.DoesNotContain("includes", json, StringComparison.Ordinal);
        Assert.DoesNotContain("excludes", json, StringComparison.Ordinal);
        Assert.DoesNotContain(plain.Syscalls, s => s.Names.Contains("mount"));
        Assert.Contains(admin.Syscalls, s => s.Names.Contains("mount") && s.Action == "SCMP_ACT_ALLOW" && s.Args is null);
        Assert.Equal("SCMP_ACT_ERRNO", plain.DefaultAction);
        Assert.Equal(1u, plain.DefaultErrnoRet);
        Assert.Equal(["SCMP_ARCH_X86_64"], plain.Architectures);
        Assert.Contains(plain.Syscalls, s => s.Names.SequenceEqual(["clone3"]) && s.Action == "SCMP_ACT_ERRNO" && s.ErrnoRet == 38);
    }

    [Fact]
    public void Tiocsti_is_denied_by_allowing_every_other_request_on_its_low_32_bits()
    {
        var oci = OciSeccompTranslator.Translate(DefaultProfile.Profile.Resolve([], SeccompArch.X86_64), SeccompArch.X86_64);

        var ioctl = oci.Syscalls.Where(s => s.Names.Contains("ioctl")).ToList();
        Assert.NotEmpty(ioctl);
        Assert.All(ioctl, r => Assert.Equal("SCMP_ACT_ALLOW", r.Action));
        Assert.All(ioctl, r => Assert.Equal("SCMP_CMP_MASKED_EQ", Assert.Single(r.Args!).Op));
        Assert.All(ioctl, r => Assert.Equal(0UL, r.Args![0].Value >> 32));
    }

    [Fact]
    public void A_custom_profile_keeps_its_errno()
    {
        var profile = SeccompProfile.Parse("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]}""");

        var oci = OciSeccompTranslator.Translate(profile.Resolve([], SeccompArch.X86_64), SeccompArch.X86_64);

        Assert.Equal("SCMP_ACT_ALLOW", oci.DefaultAction);
        Assert.Null(oci.DefaultErrnoRet);
        var rule = Assert.Single(oci.Syscalls);
        Assert.Equal(["mkdir", "mkdirat"], rule.Names);
        Assert.Equal(13u, rule.ErrnoRet);
    }

    [Fact]
    public void An_ordering_comparison_on_a_32_bit_argument_is_refused()
    {
        var profile = SeccompProfile.Parse("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["socket"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":10,"op":"SCMP_CMP_GT"}]}]}""");

        var e = Assert.Throws<ContainerSetupException>(() => OciSeccompTranslator.Translate(profile.Resolve([], SeccompArch.X86_64), SeccompArch.X86_64));

        Assert.Contains("socket", e.Message, StringComparison.Ordinal);
        Assert.Contains("namespace", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unconfined_writes_no_filter()
    {
        Assert.Null(OciSeccompTranslator.Translate(SeccompSpec.Unconfined, []));
    }

    [Fact]
    public void The_cover_holds_every_value_but_the_points_once()
    {
        ulong[] points = [DefaultProfile.Tiocsti, DefaultProfile.Tioclinux];
        var cover = OciSeccompTranslator.Cover(points, 32).ToList();
        var random = new Random(8);

        Assert.True(cover.Count <= points.Length * 32);
        foreach (var x in points.Concat(Enumerable.Range(0, 20000).Select(_ => (ulong)random.NextInt64(0, 1L << 32))).Concat([0x5413UL, 0x5410UL, 0x541DUL]))
        {
            var hits = cover.Count(c => (x & c.Mask) == c.Value);
            Assert.Equal(points.Contains(x) ? 0 : 1, hits);
        }
    }
}

using Scute.Runtime.Seccomp;
using static Scute.Runtime.Tests.Seccomp.Programs;

namespace Scute.Runtime.Tests.Seccomp;

/// <summary>
/// Calls whose 32-bit arguments carry garbage in the high half of the register, which the kernel
/// drops: the filter must decide on what the kernel will read.
/// </summary>
public sealed class HighBitsTests
{
    private const ulong Bit32 = 1UL << 32;
    private const ulong HighHalf = 0xFFFF_FFFF_0000_0000;
    private const ulong AfUnix = 1;
    private const ulong AfInet = 2;
    private const ulong AfVsock = 40;
    private const ulong Tcgets = 0x5401;
    private const ulong Tiocgwinsz = 0x5413;
    private const ulong Fionread = 0x541B;
    private const ulong CloneNewUser = 0x10000000;
    private const ulong ForkFlags = 0x01200011;

    public static TheoryData<SeccompArch> Arches => new() { SeccompArch.X86_64, SeccompArch.Aarch64 };

    [Theory]
    [MemberData(nameof(Arches))]
    public void A_socket_family_with_high_bits_is_the_family_the_kernel_reads(SeccompArch arch)
    {
        var p = Default(arch);

        Assert.Equal(Errno(1), p.Call("socket", AfVsock | Bit32, 1));
        Assert.Equal(Errno(1), p.Call("socket", AfVsock | HighHalf, 1));
        Assert.Equal(Errno(1), p.Call("socket", AfVsock | (1UL << 63), 1));
        Assert.Equal(Allow, p.Call("socket", AfInet | Bit32, 1));
        Assert.Equal(Allow, p.Call("socket", AfUnix | HighHalf, 1));
    }

    [Theory]
    [MemberData(nameof(Arches))]
    public void Tiocsti_and_tioclinux_are_denied_whatever_the_high_bits(SeccompArch arch)
    {
        foreach (var p in new[] { Default(arch), Default(arch, "SYS_ADMIN", "SYS_TTY_CONFIG") })
        {
            foreach (var request in new[] { DefaultProfile.Tiocsti, DefaultProfile.Tioclinux })
            {
                Assert.Equal(Errno(1), p.Call("ioctl", 0, request));
                Assert.Equal(Errno(1), p.Call("ioctl", 0, request | Bit32));
                Assert.Equal(Errno(1), p.Call("ioctl", 3, request | HighHalf, 0x7fff_0000_1000));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Arches))]
    public void Every_other_ioctl_stays_allowed(SeccompArch arch)
    {
        var p = Default(arch);

        Assert.Equal(Allow, p.Call("ioctl", 0, Tcgets));
        Assert.Equal(Allow, p.Call("ioctl", 0, Tcgets | Bit32));
        Assert.Equal(Allow, p.Call("ioctl", 1, Tiocgwinsz));
        Assert.Equal(Allow, p.Call("ioctl", 3, Fionread));
        // TIOCSTI's number in another argument (the fd or the pointer) is no TIOCSTI request.
        Assert.Equal(Allow, p.Call("ioctl", DefaultProfile.Tiocsti, Tcgets, DefaultProfile.Tiocsti));
    }

    [Theory]
    [MemberData(nameof(Arches))]
    public void Clone_with_a_namespace_flag_and_high_bits_is_denied(SeccompArch arch)
    {
        var p = Default(arch);

        Assert.Equal(Errno(1), p.Call("clone", CloneNewUser | Bit32));
        Assert.Equal(Errno(1), p.Call("clone", ForkFlags | CloneNewUser | HighHalf));
        // The kernel reads the low 32 bits only: high bits alone create nothing.
        Assert.Equal(Allow, p.Call("clone", ForkFlags | HighHalf));
        // unshare's flags are a full unsigned long; the high bits do not hide a namespace flag.
        Assert.Equal(Errno(1), p.Call("unshare", CloneNewUser | Bit32));
    }

    [Theory]
    [MemberData(nameof(Arches))]
    public void Personality_is_judged_on_the_value_the_kernel_reads(SeccompArch arch)
    {
        var p = Default(arch);

        Assert.Equal(Allow, p.Call("personality", Bit32));                  // PER_LINUX
        Assert.Equal(Allow, p.Call("personality", HighHalf | 8));           // PER_LINUX32
        Assert.Equal(Allow, p.Call("personality", ulong.MaxValue));         // the query, 0xffffffff
        Assert.Equal(Errno(1), p.Call("personality", Bit32 | 0x0040000));   // ADDR_NO_RANDOMIZE
        Assert.Equal(Errno(1), p.Call("personality", HighHalf | 0x0400000)); // READ_IMPLIES_EXEC
    }

    private const string DockerStyle = """
        {
          "defaultAction": "SCMP_ACT_ERRNO",
          "defaultErrnoRet": 1,
          "syscalls": [
            { "names": ["read", "write", "ioctl"], "action": "SCMP_ACT_ALLOW" },
            { "names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 0, "value": 40, "op": "SCMP_CMP_NE" } ] },
            { "names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ" } ] },
            { "names": ["clone"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 0, "value": 2114060288, "op": "SCMP_CMP_MASKED_EQ" } ],
              "excludes": { "caps": ["CAP_SYS_ADMIN"], "arches": ["s390", "s390x"] } },
            { "names": ["ioctl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "args": [ { "index": 1, "value": 21522, "op": "SCMP_CMP_EQ" } ] },
            { "names": ["kill"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 1, "value": 15, "op": "SCMP_CMP_LE" } ] },
            { "names": ["openat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
              "args": [ { "index": 0, "value": 18446744073709551516, "op": "SCMP_CMP_EQ" } ] },
            { "names": ["openat"], "action": "SCMP_ACT_ALLOW" },
            { "names": ["setuid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 22, "args": [ { "index": 0, "value": 4294967296, "op": "SCMP_CMP_EQ" } ] },
            { "names": ["setuid"], "action": "SCMP_ACT_ALLOW" }
          ]
        }
        """;

    [Theory]
    [MemberData(nameof(Arches))]
    public void A_docker_style_profile_compares_32_bit_arguments_on_their_low_32_bits(SeccompArch arch)
    {
        var p = FromJson(DockerStyle, arch);

        Assert.Equal(Errno(1), p.Call("socket", AfVsock | Bit32, 1));
        Assert.Equal(Allow, p.Call("socket", AfInet | Bit32, 1));
        Assert.Equal(Allow, p.Call("personality", 0xFFFF_FFFF));
        Assert.Equal(Allow, p.Call("personality", ulong.MaxValue));
        Assert.Equal(Errno(1), p.Call("clone", CloneNewUser | Bit32));
        Assert.Equal(Allow, p.Call("clone", ForkFlags | Bit32));
        Assert.Equal(Errno(1), p.Call("ioctl", 0, DefaultProfile.Tiocsti | Bit32));
        Assert.Equal(Allow, p.Call("ioctl", 0, Tcgets | Bit32));
        // An ordering on a 32-bit signal number: SIGKILL | 1 << 32 is SIGKILL (9 <= 15), SIGUSR2 (17) with high bits is not.
        Assert.Equal(Allow, p.Call("kill", 1, 9 | Bit32));
        Assert.Equal(Errno(1), p.Call("kill", 1, 17 | Bit32));
    }

    [Theory]
    [MemberData(nameof(Arches))]
    public void A_value_wider_than_its_argument_means_its_low_bits_only_when_sign_extended(SeccompArch arch)
    {
        var p = FromJson(DockerStyle, arch);

        // openat's dfd is an int: AT_FDCWD written as the 64-bit -100 matches -100 however the caller extended it.
        Assert.Equal(Errno(13), p.Call("openat", 0xFFFF_FF9C));
        Assert.Equal(Errno(13), p.Call("openat", 0xFFFF_FFFF_FFFF_FF9C));
        Assert.Equal(Allow, p.Call("openat", 3));
        // setuid's uid is 32 bits: no uid is 1 << 32, so that rule never matches, whatever the register holds.
        Assert.Equal(Allow, p.Call("setuid", Bit32));
        Assert.Equal(Allow, p.Call("setuid", 0));
    }

    [Fact]
    public void An_argument_not_in_the_width_table_is_compared_on_all_64_bits()
    {
        const string json = """
            { "defaultAction": "SCMP_ACT_ERRNO",
              "syscalls": [ { "names": ["getcwd"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 1, "value": 4096, "op": "SCMP_CMP_EQ" } ] } ] }
            """;
        var p = FromJson(json, SeccompArch.X86_64);

        Assert.Equal(Allow, p.Call("getcwd", 0, 4096));
        Assert.Equal(Errno(1), p.Call("getcwd", 0, 4096 | Bit32));
    }
}

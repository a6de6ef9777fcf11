using Scute.Runtime.Seccomp;

namespace Scute.Runtime.Tests.Seccomp;

/// <summary>The width table: well formed, and complete for the arguments the known profiles compare.</summary>
public sealed class ArgumentWidthsTests
{
    /// <summary>
    /// The (syscall, argument) pairs that Docker's (moby profiles/seccomp/default.json) and Podman's
    /// (containers/common pkg/seccomp/seccomp.json) default profiles compare: socket's family (and
    /// Podman's NETLINK_AUDIT protocol), personality, and clone's flags (argument 1 on s390).
    /// </summary>
    public static TheoryData<string, int> DockerAndPodmanArguments => new()
    {
        { "socket", 0 },
        { "socket", 2 },
        { "personality", 0 },
        { "clone", 0 },
        { "clone", 1 },
    };

    [Fact]
    public void Every_syscall_of_the_table_exists_and_has_at_most_six_arguments_of_16_32_or_64_bits()
    {
        foreach (var name in ArgumentWidths.Syscalls)
        {
            Assert.True(
                SeccompArchitectures.SyscallNumber(SeccompArch.X86_64, name) is not null || SeccompArchitectures.SyscallNumber(SeccompArch.Aarch64, name) is not null,
                $"{name} is no syscall of x86_64 or arm64");
            Assert.NotNull(ArgumentWidths.Listed(name, 0));
            Assert.Null(ArgumentWidths.Listed(name, 6));
            for (var i = 0; i < 6 && ArgumentWidths.Listed(name, i) is { } bits; i++)
            {
                Assert.True(bits is 16 or 32 or 64, $"{name} argument {i}: {bits} bits");
            }
        }
    }

    [Fact]
    public void Every_argument_the_default_profile_compares_has_a_listed_width()
    {
        var unlisted = DefaultProfile.Profile.Rules
            .SelectMany(r => r.Names.SelectMany(n => r.Args.Select(a => (Name: n, a.Index))))
            .Where(x => ArgumentWidths.Listed(x.Name, x.Index) is null)
            .ToList();

        Assert.Empty(unlisted);
    }

    [Theory]
    [MemberData(nameof(DockerAndPodmanArguments))]
    public void The_arguments_docker_and_podman_compare_have_a_listed_width(string syscall, int index)
    {
        Assert.NotNull(ArgumentWidths.Listed(syscall, index));
    }

    [Fact]
    public void The_32_bit_arguments_the_profiles_compare_are_32_bit()
    {
        // Each from its SYSCALL_DEFINE: int family, unsigned int cmd, unsigned int personality, and
        // clone's flags that kernel_clone reads with lower_32_bits(); unshare's flags are a full
        // unsigned long (unknown high bits fail with EINVAL), clone's argument 1 is the stack.
        Assert.Equal(32, ArgumentWidths.Bits("socket", 0));
        Assert.Equal(32, ArgumentWidths.Bits("socket", 2));
        Assert.Equal(32, ArgumentWidths.Bits("ioctl", 1));
        Assert.Equal(64, ArgumentWidths.Bits("ioctl", 2));
        Assert.Equal(32, ArgumentWidths.Bits("personality", 0));
        Assert.Equal(32, ArgumentWidths.Bits("clone", 0));
        Assert.Equal(64, ArgumentWidths.Bits("clone", 1));
        Assert.Equal(64, ArgumentWidths.Bits("unshare", 0));
        Assert.Equal(32, ArgumentWidths.Bits("fcntl", 1));
        Assert.Equal(32, ArgumentWidths.Bits("prctl", 0));
        Assert.Equal(32, ArgumentWidths.Bits("kill", 1));
        Assert.Equal(32, ArgumentWidths.Bits("tgkill", 2));
        Assert.Equal(32, ArgumentWidths.Bits("setsockopt", 1));
        Assert.Equal(32, ArgumentWidths.Bits("getsockopt", 2));
        Assert.Equal(16, ArgumentWidths.Bits("openat", 3));
    }

    [Fact]
    public void An_argument_not_in_the_table_is_compared_on_64_bits()
    {
        Assert.Null(ArgumentWidths.Listed("getcwd", 1));
        Assert.Null(ArgumentWidths.Listed("fcntl", 5));
        Assert.Equal(64, ArgumentWidths.Bits("getcwd", 1));
        Assert.Equal(64, ArgumentWidths.Bits("fcntl", 5));
    }

    [Fact]
    public void Every_value_of_the_default_profile_fits_its_argument()
    {
        // A value wider than its argument would make a rule that never (or always) matches.
        foreach (var rule in DefaultProfile.Profile.Rules)
        {
            foreach (var (name, arg) in rule.Names.SelectMany(n => rule.Args.Select(a => (n, a))))
            {
                var width = ArgumentWidths.Bits(name, arg.Index) == 64 ? ulong.MaxValue : (1UL << ArgumentWidths.Bits(name, arg.Index)) - 1;
                Assert.True(arg.Value <= width && arg.ValueTwo <= width, $"{name} argument {arg.Index}: 0x{arg.Value:x} / 0x{arg.ValueTwo:x}");
            }
        }
    }
}

using Scute.Runtime.Seccomp;
using static Scute.Runtime.Tests.Seccomp.Programs;

namespace Scute.Runtime.Tests.Seccomp;

public sealed class SeccompCompilerTests
{
    public static TheoryData<SeccompArch> Arches => new() { SeccompArch.X86_64, SeccompArch.Aarch64 };

    private const string AllowMkdirDenyRest = """
        {
          "defaultAction": "SCMP_ACT_ERRNO",
          "syscalls": [
            { "names": ["read", "write", "mkdir", "mkdirat"], "action": "SCMP_ACT_ALLOW" },
            { "names": ["getpid"], "action": "SCMP_ACT_LOG" },
            { "names": ["kill"], "action": "SCMP_ACT_KILL_PROCESS" },
            { "names": ["tkill"], "action": "SCMP_ACT_KILL" },
            { "names": ["fchdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 },
            { "names": ["arch_prctl", "no_such_call"], "action": "SCMP_ACT_ALLOW" }
          ]
        }
        """;

    [Theory]
    [MemberData(nameof(Arches))]
    public void Each_action_is_returned_for_its_syscall_and_the_default_for_others(SeccompArch arch)
    {
        var p = FromJson(AllowMkdirDenyRest, arch);

        Assert.Equal(Allow, p.Call("read"));
        Assert.Equal(Allow, p.Call("mkdirat"));
        Assert.Equal(Log, p.Call("getpid"));
        Assert.Equal(KillProcess, p.Call("kill"));
        Assert.Equal(KillThread, p.Call("tkill"));
        Assert.Equal(Errno(13), p.Call("fchdir", 0));
        Assert.Equal(Errno(1), p.Call("openat"));
        Assert.Equal(Errno(1), p.Call("mount"));
    }

    [Fact]
    public void Syscall_numbers_are_those_of_the_architecture()
    {
        Assert.Equal(0, SeccompArchitectures.SyscallNumber(SeccompArch.X86_64, "read"));
        Assert.Equal(63, SeccompArchitectures.SyscallNumber(SeccompArch.Aarch64, "read"));
        Assert.Equal(165, SeccompArchitectures.SyscallNumber(SeccompArch.X86_64, "mount"));
        Assert.Equal(40, SeccompArchitectures.SyscallNumber(SeccompArch.Aarch64, "mount"));
        Assert.Equal(435, SeccompArchitectures.SyscallNumber(SeccompArch.X86_64, "clone3"));
        Assert.Equal(435, SeccompArchitectures.SyscallNumber(SeccompArch.Aarch64, "clone3"));
        Assert.Null(SeccompArchitectures.SyscallNumber(SeccompArch.Aarch64, "open"));
        Assert.Null(SeccompArchitectures.SyscallNumber(SeccompArch.Aarch64, "arch_prctl"));
    }

    [Fact]
    public void Names_the_architecture_lacks_are_skipped()
    {
        var arm = FromJson(AllowMkdirDenyRest, SeccompArch.Aarch64);
        var x86 = FromJson(AllowMkdirDenyRest, SeccompArch.X86_64);

        Assert.Equal(Allow, x86.Call("arch_prctl"));
        // aarch64's 158 (getgroups) must not have picked up x86_64's arch_prctl number.
        Assert.Equal(Errno(1), arm.Call("getgroups"));
        Assert.Equal(Errno(1), BpfInterpreter.Run(arm.Program, 158, SeccompArchitectures.AuditArchAarch64));
    }

    [Theory]
    [InlineData(SeccompArch.X86_64, SeccompArchitectures.AuditArchAarch64)]
    [InlineData(SeccompArch.X86_64, 0x40000003u)] // AUDIT_ARCH_I386: int 0x80 from a 64-bit process
    [InlineData(SeccompArch.Aarch64, SeccompArchitectures.AuditArchX86_64)]
    [InlineData(SeccompArch.Aarch64, 0x40000028u)] // AUDIT_ARCH_ARM
    [InlineData(SeccompArch.X86_64, 0u)]
    public void Another_architecture_is_killed(SeccompArch arch, uint auditArch)
    {
        var p = FromJson(AllowMkdirDenyRest, arch);

        Assert.Equal(KillProcess, BpfInterpreter.Run(p.Program, p.Number("read"), auditArch));
    }

    [Fact]
    public void The_x32_abi_is_refused_on_x86_64()
    {
        var p = FromJson(AllowMkdirDenyRest, SeccompArch.X86_64);

        Assert.Equal(KillProcess, BpfInterpreter.Run(p.Program, 0x40000000u | p.Number("read"), SeccompArchitectures.AuditArchX86_64));
        Assert.Equal(KillProcess, BpfInterpreter.Run(p.Program, 0x40000000u + 512, SeccompArchitectures.AuditArchX86_64));
        Assert.Equal(KillProcess, BpfInterpreter.Run(p.Program, 0xFFFFFFFFu, SeccompArchitectures.AuditArchX86_64));
        Assert.Equal(Allow, p.Call("read"));
    }

    [Fact]
    public void The_program_starts_with_the_architecture_check()
    {
        var p = FromJson(AllowMkdirDenyRest, SeccompArch.Aarch64).Program;

        Assert.Equal(new SockFilter(SockFilter.LdWAbs, 0, 0, SockFilter.ArchOffset), p[0]);
        Assert.Equal(new SockFilter(SockFilter.JeqK, 1, 0, SeccompArchitectures.AuditArchAarch64), p[1]);
        Assert.Equal(new SockFilter(SockFilter.RetK, 0, 0, KillProcess), p[2]);
        Assert.Equal(new SockFilter(SockFilter.LdWAbs, 0, 0, SockFilter.NrOffset), p[3]);
    }

    public static TheoryData<string, ulong, ulong, ulong> ConditionCases()
    {
        var data = new TheoryData<string, ulong, ulong, ulong>();
        ulong[] values = [0, 1, 7, 8, 0xFFFFFFFF, 0x1_0000_0000, 0x1_0000_0007, 0x2_0000_0000, 0xFFFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000];
        foreach (var op in new[] { "SCMP_CMP_EQ", "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_GT", "SCMP_CMP_GE" })
        {
            foreach (var v in values)
            {
                foreach (var arg in values)
                {
                    data.Add(op, v, 0, arg);
                }
            }
        }

        foreach (var (mask, expected) in new (ulong, ulong)[] { (0x7E020000, 0), (0xF, 7), (0xFFFF_0000_0000_0000, 0x8000_0000_0000_0000), (0x1_0000_0001, 0x1_0000_0000) })
        {
            foreach (var arg in values.Concat(new ulong[] { 0x10000000, 0x01200011, 0x7E020000, 0x3d0f00 }))
            {
                data.Add("SCMP_CMP_MASKED_EQ", mask, expected, arg);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ConditionCases))]
    public void Argument_conditions_compare_all_64_bits(string op, ulong value, ulong valueTwo, ulong arg)
    {
        var json = $$"""
            {
              "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
              "syscalls": [ { "names": ["ioctl"], "action": "SCMP_ACT_ALLOW",
                              "args": [ { "index": 2, "value": {{value}}, "valueTwo": {{valueTwo}}, "op": "{{op}}" } ] } ]
            }
            """;
        var expected = op switch
        {
            "SCMP_CMP_EQ" => arg == value,
            "SCMP_CMP_NE" => arg != value,
            "SCMP_CMP_LT" => arg < value,
            "SCMP_CMP_LE" => arg <= value,
            "SCMP_CMP_GT" => arg > value,
            "SCMP_CMP_GE" => arg >= value,
            _ => (arg & value) == valueTwo,
        };

        foreach (var arch in new[] { SeccompArch.X86_64, SeccompArch.Aarch64 })
        {
            var p = FromJson(json, arch);
            // Other arguments carry the same value: only argument 2 may decide.
            Assert.Equal(expected ? Allow : Errno(38), p.Call("ioctl", ~arg, ~arg, arg, ~arg, ~arg, ~arg));
        }
    }

    /// <summary>What a kernel that reads only the low <paramref name="bits"/> of the argument decides.</summary>
    private static bool HoldsAsTheKernelReads(string op, ulong value, ulong valueTwo, ulong arg, int bits)
    {
        var width = (1UL << bits) - 1;
        var seen = arg & width;

        // A value written as a negative number sign-extended to 64 bits means its low bits.
        ulong Meant(ulong v) => v > width && v >= ~(width >> 1) ? v & width : v;
        return op switch
        {
            "SCMP_CMP_EQ" => seen == Meant(value),
            "SCMP_CMP_NE" => seen != Meant(value),
            "SCMP_CMP_LT" => seen < Meant(value),
            "SCMP_CMP_LE" => seen <= Meant(value),
            "SCMP_CMP_GT" => seen > Meant(value),
            "SCMP_CMP_GE" => seen >= Meant(value),
            _ => (seen & value) == Meant(valueTwo),
        };
    }

    public static TheoryData<string, string, int, int> NarrowCases()
    {
        var data = new TheoryData<string, string, int, int>();
        foreach (var op in new[] { "SCMP_CMP_EQ", "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_GT", "SCMP_CMP_GE", "SCMP_CMP_MASKED_EQ" })
        {
            data.Add(op, "ioctl", 1, 32);   // unsigned int cmd
            data.Add(op, "socket", 0, 32);  // int family
            data.Add(op, "openat", 3, 16);  // umode_t mode
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NarrowCases))]
    public void Conditions_on_a_narrow_argument_compare_only_the_bits_the_kernel_reads(string op, string syscall, int index, int bits)
    {
        Assert.Equal(bits, ArgumentWidths.Bits(syscall, index));
        ulong[] values =
        [
            0, 1, 7, 40, 0x5412, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
            0x1_0000_0000, 0x1_0000_0028, 0x1_0000_5412, 0xFFFF_FFFF_0000_0000, 0xFFFF_FFFF_0000_0028,
            0xFFFF_FFFF_7FFF_FFFF, 0xFFFF_FFFF_8000_0000, 0xFFFF_FFFF_FFFF_8000, 0xFFFF_FFFF_FFFF_FF9C, ulong.MaxValue,
        ];
        var masked = op == "SCMP_CMP_MASKED_EQ";
        ulong[] masks = [0xF, 0x7E020000, 0xFFFF_FFFF, 0x1_0000_0001, ulong.MaxValue];
        foreach (var arch in new[] { SeccompArch.X86_64, SeccompArch.Aarch64 })
        {
            foreach (var first in masked ? masks : values)
            {
                foreach (var second in masked ? values : [0UL])
                {
                    var json = $$"""
                        {
                          "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
                          "syscalls": [ { "names": ["{{syscall}}"], "action": "SCMP_ACT_ALLOW",
                                          "args": [ { "index": {{index}}, "value": {{first}}, "valueTwo": {{second}}, "op": "{{op}}" } ] } ]
                        }
                        """;
                    var p = FromJson(json, arch);
                    foreach (var arg in values)
                    {
                        // Other arguments carry other values: only this one may decide.
                        var args = new ulong[6];
                        Array.Fill(args, ~arg);
                        args[index] = arg;
                        var expected = HoldsAsTheKernelReads(op, first, second, arg, bits) ? Allow : Errno(38);
                        Assert.True(expected == p.Call(syscall, args), $"{arch} {syscall} arg{index} = 0x{arg:x} {op} 0x{first:x} (0x{second:x})");
                    }
                }
            }
        }
    }

    [Fact]
    public void Conditions_of_one_rule_all_hold_and_rules_of_one_syscall_are_alternatives()
    {
        const string json = """
            {
              "defaultAction": "SCMP_ACT_ERRNO",
              "syscalls": [
                { "names": ["fcntl"], "action": "SCMP_ACT_ALLOW",
                  "args": [ { "index": 0, "value": 3, "op": "SCMP_CMP_EQ" }, { "index": 1, "value": 4, "op": "SCMP_CMP_EQ" } ] },
                { "names": ["fcntl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 9,
                  "args": [ { "index": 5, "value": 1, "op": "SCMP_CMP_EQ" } ] },
                { "names": ["fcntl"], "action": "SCMP_ACT_LOG" }
              ]
            }
            """;
        var p = FromJson(json, SeccompArch.X86_64);

        Assert.Equal(Allow, p.Call("fcntl", 3, 4));
        Assert.Equal(Log, p.Call("fcntl", 3, 5));
        Assert.Equal(Log, p.Call("fcntl", 2, 4));
        Assert.Equal(Errno(9), p.Call("fcntl", 0, 0, 0, 0, 0, 1));
        Assert.Equal(Allow, p.Call("fcntl", 3, 4, 0, 0, 0, 1));
        Assert.Equal(Errno(1), p.Call("read"));
    }

    [Fact]
    public void A_syscall_block_longer_than_a_conditional_jump_still_works()
    {
        // A comparison of ioctl's 32-bit request takes 3 instructions: 120 rules make a body longer
        // than the 255 instructions a conditional jump reaches.
        var rules = string.Join(",", Enumerable.Range(0, 120).Select(i =>
            $$"""{ "names": ["ioctl"], "action": "SCMP_ACT_ERRNO", "errnoRet": {{i + 100}}, "args": [ { "index": 1, "value": {{i}}, "op": "SCMP_CMP_EQ" } ] }"""));
        var json = $$"""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ {{rules}}, { "names": ["write"], "action": "SCMP_ACT_KILL_PROCESS" } ] }""";

        var p = FromJson(json, SeccompArch.Aarch64);

        Assert.True(p.Program.Length > 300);
        Assert.Equal(Errno(100), p.Call("ioctl", 0, 0));
        Assert.Equal(Errno(219), p.Call("ioctl", 0, 119));
        Assert.Equal(Allow, p.Call("ioctl", 0, 120));
        Assert.Equal(KillProcess, p.Call("write"));
        Assert.Equal(Allow, p.Call("read"));
    }

    [Theory]
    [MemberData(nameof(Arches))]
    public void Every_syscall_number_reaches_its_verdict_in_a_few_instructions(SeccompArch arch)
    {
        // The kernel runs the filter for each syscall number when it is installed (its cache of
        // always-allowed calls) and on every call: a walk past each listed syscall costs both.
        var p = Default(arch);
        var numbers = Enumerable.Range(0, 512).Select(n => (uint)n).Append(0x3FFFFFFFu);

        var slowest = numbers.Max(nr =>
        {
            BpfInterpreter.Run(p.Program, nr, SeccompArchitectures.AuditArch(arch), [], out var executed);
            return executed;
        });

        Assert.InRange(slowest, 1, 48);
        // The kernel translates and JIT-compiles each instruction at install: the shared returns
        // keep it below a comparison and a return per allowed syscall.
        var allowed = numbers.Count(nr => BpfInterpreter.Run(p.Program, nr, SeccompArchitectures.AuditArch(arch)) == Allow);
        Assert.InRange(p.Program.Length, allowed, (2 * allowed) - 1);
    }

    [Fact]
    public void Each_syscall_of_a_long_list_keeps_its_own_verdict()
    {
        // Every number of the architecture with an action of its own, so the search tree has
        // many levels; each must still land on its own rule, and the numbers between on the default.
        var names = SyscallsX64.Numbers.Keys.Where((_, i) => i % 3 != 0).ToList();
        var rules = string.Join(",", names.Select((n, i) =>
            $$"""{ "names": ["{{n}}"], "action": "SCMP_ACT_ERRNO", "errnoRet": {{(i % 200) + 2}} }"""));
        var p = FromJson($$"""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ {{rules}} ] }""", SeccompArch.X86_64);

        for (var i = 0; i < names.Count; i++)
        {
            Assert.Equal(Errno((i % 200) + 2), p.Call(names[i]));
        }

        foreach (var other in SyscallsX64.Numbers.Keys.Where((_, i) => i % 3 == 0))
        {
            Assert.Equal(Allow, p.Call(other));
        }
    }

    [Fact]
    public void A_program_the_kernel_would_refuse_is_an_error()
    {
        var rules = string.Join(",", Enumerable.Range(0, 1400).Select(i =>
            $$"""{ "names": ["ioctl"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 1, "value": {{i}}, "op": "SCMP_CMP_EQ" } ] }"""));
        var json = $$"""{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ {{rules}} ] }""";

        var e = Assert.Throws<ContainerSetupException>(() => FromJson(json, SeccompArch.X86_64));
        Assert.Contains("4096", e.Message);
    }
}

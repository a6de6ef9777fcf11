using System.Buffers.Binary;
using Scute.Runtime.Seccomp;

namespace Scute.Runtime.Tests.Seccomp;

/// <summary>
/// Runs a seccomp BPF program the way the kernel does, over a <c>struct seccomp_data</c>
/// (nr, arch, instruction pointer, six 64-bit args, little-endian). Only the instructions a
/// seccomp program may use; anything else, a jump out of the program or a load beyond the data fails.
/// </summary>
internal static class BpfInterpreter
{
    public const uint RetActionFull = 0xffff0000;
    public const uint RetData = 0x0000ffff;

    public static uint Run(SockFilter[] program, uint nr, uint arch, params ulong[] args) => Run(program, nr, arch, args, out _);

    /// <summary>The verdict, and how many instructions it took to reach it.</summary>
    public static uint Run(SockFilter[] program, uint nr, uint arch, ulong[] args, out int executed)
    {
        var data = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(0), nr);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), arch);
        for (var i = 0; i < args.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16 + (8 * i)), args[i]);
        }

        uint a = 0;
        var pc = 0;
        for (var steps = 0; steps <= program.Length; steps++)
        {
            executed = steps + 1;
            Assert.InRange(pc, 0, program.Length - 1);
            var ins = program[pc];
            switch (ins.Code)
            {
                case SockFilter.LdWAbs:
                    Assert.True(ins.K % 4 == 0 && ins.K <= 60, $"load at {ins.K}");
                    a = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)ins.K));
                    pc++;
                    break;
                case SockFilter.AluAndK:
                    a &= ins.K;
                    pc++;
                    break;
                case SockFilter.Ja:
                    pc += 1 + (int)ins.K;
                    break;
                case SockFilter.JeqK:
                    pc += 1 + (a == ins.K ? ins.Jt : ins.Jf);
                    break;
                case SockFilter.JgtK:
                    pc += 1 + (a > ins.K ? ins.Jt : ins.Jf);
                    break;
                case SockFilter.JgeK:
                    pc += 1 + (a >= ins.K ? ins.Jt : ins.Jf);
                    break;
                case SockFilter.RetK:
                    return ins.K;
                default:
                    Assert.Fail($"unexpected BPF code 0x{ins.Code:x} at {pc}");
                    break;
            }
        }

        Assert.Fail("the program did not return");
        executed = 0;
        return 0;
    }
}

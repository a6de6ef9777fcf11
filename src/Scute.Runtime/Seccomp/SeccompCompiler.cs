namespace Scute.Runtime.Seccomp;

/// <summary>
/// Compiles a resolved profile into a classic BPF seccomp program for one architecture: the
/// architecture is checked first (any other is killed, as is the x32 ABI on x86_64), then a
/// binary search over the syscall numbers leads to each syscall's rules; any other gets the
/// default action. Names the architecture lacks are skipped.
/// Each argument is compared on the bits the kernel reads of it (<see cref="ArgumentWidths"/>).
/// </summary>
public static class SeccompCompiler
{
    /// <summary>BPF_MAXINSNS.</summary>
    public const int MaxInstructions = 4096;

    public static SockFilter[] Compile(ResolvedSeccompProfile profile, SeccompArch arch)
    {
        var groups = new SortedDictionary<int, List<ResolvedSeccompRule>>();
        foreach (var rule in profile.Rules)
        {
            if (SeccompArchitectures.SyscallNumber(arch, rule.Name) is not { } nr)
            {
                continue;
            }

            if (!groups.TryGetValue(nr, out var list))
            {
                groups[nr] = list = [];
            }

            list.Add(rule);
        }

        var kill = SeccompAction.KillProcess.ReturnValue;
        var b = new BpfBuilder();
        var archOk = b.NewLabel();
        b.Load(SockFilter.ArchOffset);
        b.Jump(SockFilter.JeqK, SeccompArchitectures.AuditArch(arch), archOk, BpfBuilder.Next);
        b.Return(kill);
        b.Mark(archOk);
        b.Load(SockFilter.NrOffset);
        if (arch == SeccompArch.X86_64)
        {
            var native = b.NewLabel();
            b.Jump(SockFilter.JgeK, SeccompArchitectures.X32SyscallBit, BpfBuilder.Next, native);
            b.Return(kill);
            b.Mark(native);
        }

        // Only the syscalls whose verdict differs from the default need a branch of their own.
        var dispatched = groups.Where(g => !IsDefault(g.Value, profile.DefaultAction)).ToList();
        EmitSearch(b, dispatched, profile.DefaultAction);
        var program = b.Build();
        return program.Length > MaxInstructions
            ? throw new ContainerSetupException($"seccomp profile compiles to {program.Length} BPF instructions; the kernel accepts {MaxInstructions}")
            : program;
    }

    /// <summary>Largest run of syscalls compared one after the other; above it the range is halved.</summary>
    internal const int LinearRun = 16;

    /// <summary>
    /// A binary search over the syscall numbers (the accumulator holds the number): a call reaches
    /// its verdict in about log2(n) + <see cref="LinearRun"/> instructions instead of walking every
    /// syscall before it. That is what each call pays, and what the kernel pays at install: it runs
    /// the filter for every syscall number to build its cache of always-allowed calls, under a lock.
    /// </summary>
    private static void EmitSearch(BpfBuilder b, List<KeyValuePair<int, List<ResolvedSeccompRule>>> groups, SeccompAction defaultAction)
    {
        if (groups.Count <= LinearRun)
        {
            EmitLeaf(b, groups, defaultAction);
            return;
        }

        var half = groups.Count / 2;
        var lower = b.NewLabel();
        var upper = b.NewLabel();
        // A conditional jump reaches 255 instructions: the upper half is reached through JA.
        b.Jump(SockFilter.JgeK, (uint)groups[half].Key, BpfBuilder.Next, lower);
        b.JumpAlways(upper);
        b.Mark(lower);
        EmitSearch(b, groups[..half], defaultAction);
        b.Mark(upper);
        EmitSearch(b, groups[half..], defaultAction);
    }

    /// <summary>
    /// A few syscalls compared in turn. Those without argument rules jump to one shared return per
    /// action (all of it within a conditional jump's reach), which keeps the program short: the
    /// kernel translates and JIT-compiles every instruction at install.
    /// </summary>
    private static void EmitLeaf(BpfBuilder b, List<KeyValuePair<int, List<ResolvedSeccompRule>>> groups, SeccompAction defaultAction)
    {
        var returns = new List<(SeccompAction Action, int Label)>();
        foreach (var (nr, rules) in groups.Where(g => g.Value.All(r => r.Args.Count == 0)))
        {
            var action = rules[0].Action;
            var index = returns.FindIndex(r => r.Action == action);
            if (index < 0)
            {
                returns.Add((action, b.NewLabel()));
                index = returns.Count - 1;
            }

            b.Jump(SockFilter.JeqK, (uint)nr, returns[index].Label, BpfBuilder.Next);
        }

        var conditional = groups.Where(g => g.Value.Any(r => r.Args.Count > 0)).ToList();
        var rest = b.NewLabel();
        if (conditional.Count == 0)
        {
            b.Return(defaultAction.ReturnValue);
        }
        else
        {
            b.JumpAlways(rest);
        }

        foreach (var (action, label) in returns)
        {
            b.Mark(label);
            b.Return(action.ReturnValue);
        }

        if (conditional.Count > 0)
        {
            b.Mark(rest);
            foreach (var (nr, rules) in conditional)
            {
                EmitSyscall(b, (uint)nr, rules, defaultAction);
            }

            b.Return(defaultAction.ReturnValue);
        }
    }

    private static bool IsDefault(List<ResolvedSeccompRule> rules, SeccompAction defaultAction) =>
        rules.All(r => r.Args.Count == 0) && rules[0].Action == defaultAction;

    private static void EmitSyscall(BpfBuilder b, uint nr, List<ResolvedSeccompRule> rules, SeccompAction defaultAction)
    {
        var conditional = rules.Where(r => r.Args.Count > 0).ToList();
        var fallback = rules.FirstOrDefault(r => r.Args.Count == 0)?.Action ?? defaultAction;
        var skip = b.NewLabel();
        if (conditional.Count == 0)
        {
            if (fallback == defaultAction)
            {
                return;
            }

            b.Jump(SockFilter.JeqK, nr, BpfBuilder.Next, skip);
            b.Return(fallback.ReturnValue);
            b.Mark(skip);
            return;
        }

        // The body may be longer than a conditional jump reaches: jump over it with JA.
        var body = b.NewLabel();
        b.Jump(SockFilter.JeqK, nr, body, BpfBuilder.Next);
        b.JumpAlways(skip);
        b.Mark(body);
        foreach (var rule in conditional)
        {
            var fail = b.NewLabel();
            foreach (var condition in rule.Args)
            {
                var bits = ArgumentWidths.Bits(rule.Name, condition.Index);
                if (bits == 64)
                {
                    EmitCondition(b, condition, fail);
                }
                else
                {
                    EmitNarrowCondition(b, condition, bits, fail);
                }
            }

            b.Return(rule.Action.ReturnValue);
            b.Mark(fail);
        }

        b.Return(fallback.ReturnValue);
        b.Mark(skip);
    }

    /// <summary>
    /// Falls through when an argument the kernel reads on its low <paramref name="bits"/> (16 or 32,
    /// see <see cref="ArgumentWidths"/>) satisfies the condition, else jumps to <paramref name="fail"/>.
    /// Only the low word is loaded (masked to 16 bits where needed): the high bits are whatever the
    /// caller left in the register and the kernel ignores them, so a filter must too.
    /// </summary>
    private static void EmitNarrowCondition(BpfBuilder b, SeccompArgCondition c, int bits, int fail)
    {
        // Each operator is one unsigned jump on the low word: the instruction, and whether the
        // condition holds when it jumps true (or when it falls false: !=, <, <=).
        var (code, holdsWhenTrue) = c.Op switch
        {
            SeccompOp.Equal or SeccompOp.MaskedEqual => (SockFilter.JeqK, true),
            SeccompOp.NotEqual => (SockFilter.JeqK, false),
            SeccompOp.GreaterThan => (SockFilter.JgtK, true),
            SeccompOp.GreaterOrEqual => (SockFilter.JgeK, true),
            SeccompOp.LessThan => (SockFilter.JgeK, false),
            SeccompOp.LessOrEqual => (SockFilter.JgtK, false),
            _ => throw new ArgumentOutOfRangeException(nameof(c)),
        };
        var width = (uint)((1UL << bits) - 1);
        var masked = c.Op == SeccompOp.MaskedEqual;
        if (Narrow(masked ? c.ValueTwo : c.Value, bits) is not { } v)
        {
            // No argument this wide has the value, as if it were above them all: ==, masked ==,
            // > and >= never hold; !=, < and <= always do.
            if (holdsWhenTrue)
            {
                b.JumpAlways(fail);
            }

            return;
        }

        b.Load(SockFilter.ArgsOffset + (8 * (uint)c.Index));
        var mask = masked ? unchecked((uint)c.Value) & width : width;
        if (mask != uint.MaxValue)
        {
            b.And(mask);
        }

        b.Jump(code, v, holdsWhenTrue ? BpfBuilder.Next : fail, holdsWhenTrue ? fail : BpfBuilder.Next);
    }

    /// <summary>
    /// A rule value as a value of an argument <paramref name="bits"/> wide: the value itself when it
    /// fits; its low bits when it is a negative number sign-extended to 64 bits (how a profile
    /// written from a signed type gives -1 or AT_FDCWD for an <c>int</c>); null when it is neither,
    /// as no such argument can have it.
    /// </summary>
    private static uint? Narrow(ulong value, int bits)
    {
        var width = (1UL << bits) - 1;
        return value <= width ? (uint)value
            : value >= ~(width >> 1) ? (uint)(value & width)
            : null;
    }

    /// <summary>Falls through when the 64-bit argument satisfies the condition, else jumps to <paramref name="fail"/>.</summary>
    private static void EmitCondition(BpfBuilder b, SeccompArgCondition c, int fail)
    {
        var next = BpfBuilder.Next;
        var low = SockFilter.ArgsOffset + (8 * (uint)c.Index);
        var high = low + 4;
        var vHigh = (uint)(c.Value >> 32);
        var vLow = unchecked((uint)c.Value);
        var pass = b.NewLabel();
        switch (c.Op)
        {
            case SeccompOp.Equal:
                b.Load(high);
                b.Jump(SockFilter.JeqK, vHigh, next, fail);
                b.Load(low);
                b.Jump(SockFilter.JeqK, vLow, next, fail);
                break;
            case SeccompOp.MaskedEqual:
                b.Load(high);
                b.And(vHigh);
                b.Jump(SockFilter.JeqK, (uint)(c.ValueTwo >> 32), next, fail);
                b.Load(low);
                b.And(vLow);
                b.Jump(SockFilter.JeqK, unchecked((uint)c.ValueTwo), next, fail);
                break;
            case SeccompOp.NotEqual:
                b.Load(high);
                b.Jump(SockFilter.JeqK, vHigh, next, pass);
                b.Load(low);
                b.Jump(SockFilter.JeqK, vLow, fail, next);
                break;
            case SeccompOp.GreaterThan or SeccompOp.GreaterOrEqual:
                b.Load(high);
                b.Jump(SockFilter.JgtK, vHigh, pass, next);
                b.Jump(SockFilter.JeqK, vHigh, next, fail);
                b.Load(low);
                b.Jump(c.Op == SeccompOp.GreaterThan ? SockFilter.JgtK : SockFilter.JgeK, vLow, next, fail);
                break;
            case SeccompOp.LessThan:
                b.Load(high);
                b.Jump(SockFilter.JgeK, vHigh, next, pass);
                b.Jump(SockFilter.JeqK, vHigh, next, fail);
                b.Load(low);
                b.Jump(SockFilter.JgeK, vLow, fail, next);
                break;
            case SeccompOp.LessOrEqual:
                b.Load(high);
                b.Jump(SockFilter.JgeK, vHigh, next, pass);
                b.Jump(SockFilter.JeqK, vHigh, next, fail);
                b.Load(low);
                b.Jump(SockFilter.JgtK, vLow, fail, next);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(c));
        }

        b.Mark(pass);
    }
}

using Scute.Runtime.Seccomp;

namespace Scute.Runtime.Oci;

/// <summary>
/// Writes the seccomp filter the namespace backend compiles as a runtime-spec <c>linux.seccomp</c>
/// object that gives the same answer for every call, through libseccomp as runc and crun use it:
/// <list type="bullet">
/// <item>includes/excludes are resolved here (for the architecture and the granted capabilities): runc ignores them;</item>
/// <item>libseccomp compares all 64 bits of an argument, the kernel reads an <c>int</c> on its low 32: a
/// narrow argument is compared through SCMP_CMP_MASKED_EQ on its low bits, and != becomes the subcubes
/// of the argument's bits that avoid the value;</item>
/// <item>an unconditional rule hides every conditional rule of the same call in libseccomp, so a call
/// allowed "unless" (ioctl unless TIOCSTI) is written as the conditions of its complement.</item>
/// </list>
/// What cannot be written that way (an ordering comparison on a narrow argument) is refused.
/// </summary>
public static class OciSeccompTranslator
{
    private const string MaskedEqual = "SCMP_CMP_MASKED_EQ";

    /// <summary>The object for this spec on the native architecture; null when unconfined.</summary>
    public static OciSeccomp? Translate(SeccompSpec spec, IReadOnlyList<string> grantedCapabilities) =>
        SeccompFilter.Profile(spec) is { } profile
            ? Translate(profile.Resolve(grantedCapabilities, SeccompArchitectures.Native), SeccompArchitectures.Native)
            : null;

    public static OciSeccomp Translate(ResolvedSeccompProfile profile, SeccompArch arch)
    {
        var fallback = profile.DefaultAction;
        var unconditional = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var conditional = new List<OciSyscall>();
        foreach (var group in profile.Rules.Where(r => SeccompArchitectures.SyscallNumber(arch, r.Name) is not null).GroupBy(r => r.Name))
        {
            foreach (var (action, args) in Call(group.Key, [.. group], fallback))
            {
                if (args.Count == 0)
                {
                    var key = Key(action);
                    if (!unconditional.TryGetValue(key, out var names))
                    {
                        unconditional[key] = names = [];
                    }

                    names.Add(group.Key);
                }
                else
                {
                    conditional.Add(Syscall([group.Key], action, args));
                }
            }
        }

        var rules = unconditional.Select(u => Syscall(u.Value, ParseKey(u.Key), null)).Concat(conditional).ToList();
        return new OciSeccomp
        {
            DefaultAction = ActionName(fallback),
            DefaultErrnoRet = ErrnoRet(fallback),
            Architectures = [arch == SeccompArch.X86_64 ? "SCMP_ARCH_X86_64" : "SCMP_ARCH_AARCH64"],
            Syscalls = rules,
        };
    }

    /// <summary>
    /// One call's rules as libseccomp rules: (action, conditions that must all hold), alternatives
    /// OR-ed. The namespace backend takes the first conditional rule that matches, else the
    /// call's unconditional rule, else the default.
    /// </summary>
    private static List<(SeccompAction Action, IReadOnlyList<OciSeccompArg> Args)> Call(string name, List<ResolvedSeccompRule> rules, SeccompAction defaultAction)
    {
        var fallback = rules.FirstOrDefault(r => r.Args.Count == 0)?.Action ?? defaultAction;
        // A conditional rule with the fallback's own action changes nothing (it could only hide a
        // later rule that matches the same arguments, which no profile Scute knows does).
        var deciding = rules.Where(r => r.Args.Count > 0 && r.Action != fallback).ToList();
        var result = new List<(SeccompAction, IReadOnlyList<OciSeccompArg>)>();
        if (deciding.Count == 0)
        {
            if (fallback != defaultAction)
            {
                result.Add((fallback, []));
            }

            return result;
        }

        var actions = deciding.Select(r => r.Action).Distinct().ToList();
        if (actions.Count > 1)
        {
            throw NotExpressible(name, "its argument rules have different actions");
        }

        var action = actions[0];
        if (fallback == defaultAction)
        {
            result.AddRange(deciding.SelectMany(r => Alternatives(name, r.Args)).Select(a => (action, a)));
            return result;
        }

        result.AddRange(Complement(name, deciding).Select(a => (fallback, a)));
        if (action != defaultAction)
        {
            result.AddRange(deciding.SelectMany(r => Alternatives(name, r.Args)).Select(a => (action, a)));
        }

        return result;
    }

    /// <summary>All conditions of a rule hold: the product of each condition's alternatives (an empty list: holds always).</summary>
    private static IEnumerable<IReadOnlyList<OciSeccompArg>> Alternatives(string name, IReadOnlyList<SeccompArgCondition> conditions)
    {
        if (conditions.GroupBy(c => c.Index).Any(g => g.Count() > 1))
        {
            // runc turns several conditions on one argument into separate rules, i.e. OR.
            throw NotExpressible(name, "a rule compares one argument twice");
        }

        IEnumerable<IReadOnlyList<OciSeccompArg>> product = [[]];
        foreach (var c in conditions)
        {
            var options = Condition(name, c);
            product = product.SelectMany(p => options.Select(o => (IReadOnlyList<OciSeccompArg>)[.. p, .. o])).ToList();
        }

        return product;
    }

    /// <summary>The ways one condition can hold, each zero or one libseccomp comparison.</summary>
    private static List<IReadOnlyList<OciSeccompArg>> Condition(string name, SeccompArgCondition c)
    {
        var bits = ArgumentWidths.Bits(name, c.Index);
        if (bits == 64)
        {
            return [[new OciSeccompArg(c.Index, c.Value, c.ValueTwo, OpName(c.Op))]];
        }

        var width = (1UL << bits) - 1;
        switch (c.Op)
        {
            case SeccompOp.Equal:
                return Narrow(c.Value, bits) is { } v ? [[new OciSeccompArg(c.Index, width, v, MaskedEqual)]] : [];
            case SeccompOp.MaskedEqual:
                return Narrow(c.ValueTwo, bits) is { } m ? [[new OciSeccompArg(c.Index, c.Value & width, m, MaskedEqual)]] : [];
            case SeccompOp.NotEqual:
                if (Narrow(c.Value, bits) is not { } n)
                {
                    return [[]];
                }

                return [.. Cover([n], bits).Select(s => (IReadOnlyList<OciSeccompArg>)[new OciSeccompArg(c.Index, s.Mask, s.Value, MaskedEqual)])];
            default:
                throw NotExpressible(name, $"argument {c.Index} is {bits} bits wide and libseccomp compares it with {OpName(c.Op)} on all 64");
        }
    }

    /// <summary>Where none of the rules holds: each rule one equality on the same argument, so the complement of a few points.</summary>
    private static IEnumerable<IReadOnlyList<OciSeccompArg>> Complement(string name, List<ResolvedSeccompRule> rules)
    {
        var conditions = rules.Select(r => r.Args.Count == 1 ? r.Args[0] : null).ToList();
        if (conditions.Any(c => c is null) || conditions.Select(c => c!.Index).Distinct().Count() != 1)
        {
            throw NotExpressible(name, "an exception to its rule is not one equality on one argument");
        }

        var index = conditions[0]!.Index;
        var bits = ArgumentWidths.Bits(name, index);
        var width = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        var points = new List<ulong>();
        foreach (var c in conditions)
        {
            if (c!.Op is not (SeccompOp.Equal or SeccompOp.MaskedEqual) || (c.Op == SeccompOp.MaskedEqual && (c.Value & width) != width))
            {
                throw NotExpressible(name, $"an exception to its rule compares argument {index} with {OpName(c.Op)}");
            }

            var value = c.Op == SeccompOp.Equal ? c.Value : c.ValueTwo;
            if ((bits == 64 ? value : Narrow(value, bits)) is { } p)
            {
                points.Add(p);
            }
        }

        return Cover([.. points.Distinct()], bits).Select(s => (IReadOnlyList<OciSeccompArg>)[new OciSeccompArg(index, s.Mask, s.Value, MaskedEqual)]);
    }

    /// <summary>
    /// Disjoint subcubes of the argument's low <paramref name="bits"/> that together hold every
    /// value but the given points: walking the bits from the lowest, each branch no point takes.
    /// At most points × bits of them.
    /// </summary>
    public static IEnumerable<(ulong Mask, ulong Value)> Cover(IReadOnlyList<ulong> points, int bits)
    {
        var result = new List<(ulong, ulong)>();
        Walk(points, 0, 0, 0);
        return result;

        void Walk(IReadOnlyList<ulong> left, int bit, ulong mask, ulong value)
        {
            if (left.Count == 0)
            {
                result.Add((mask, value));
                return;
            }

            if (bit == bits)
            {
                return;
            }

            var b = 1UL << bit;
            Walk([.. left.Where(p => (p & b) == 0)], bit + 1, mask | b, value);
            Walk([.. left.Where(p => (p & b) != 0)], bit + 1, mask | b, value | b);
        }
    }

    /// <summary>As <see cref="SeccompCompiler"/> reads a rule value for a narrow argument.</summary>
    private static ulong? Narrow(ulong value, int bits)
    {
        var width = (1UL << bits) - 1;
        return value <= width ? value
            : value >= ~(width >> 1) ? value & width
            : null;
    }

    private static ContainerSetupException NotExpressible(string name, string why) =>
        new($"seccomp profile: {name}: {why}; runc's libseccomp cannot express that filter exactly (use backend \"namespace\")");

    private static OciSyscall Syscall(IReadOnlyList<string> names, SeccompAction action, IReadOnlyList<OciSeccompArg>? args) =>
        new() { Names = names, Action = ActionName(action), ErrnoRet = ErrnoRet(action), Args = args };

    private static string Key(SeccompAction a) => $"{(int)a.Kind}:{a.Data}";

    private static SeccompAction ParseKey(string key)
    {
        var parts = key.Split(':');
        return new SeccompAction((SeccompActionKind)int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), ushort.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    public static string ActionName(SeccompAction a) => a.Kind switch
    {
        SeccompActionKind.KillProcess => "SCMP_ACT_KILL_PROCESS",
        SeccompActionKind.KillThread => "SCMP_ACT_KILL_THREAD",
        SeccompActionKind.Trap => "SCMP_ACT_TRAP",
        SeccompActionKind.Errno => "SCMP_ACT_ERRNO",
        SeccompActionKind.Trace => "SCMP_ACT_TRACE",
        SeccompActionKind.Log => "SCMP_ACT_LOG",
        SeccompActionKind.Allow => "SCMP_ACT_ALLOW",
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };

    private static uint? ErrnoRet(SeccompAction a) => a.Kind is SeccompActionKind.Errno or SeccompActionKind.Trace ? a.Data : null;

    private static string OpName(SeccompOp op) => op switch
    {
        SeccompOp.Equal => "SCMP_CMP_EQ",
        SeccompOp.NotEqual => "SCMP_CMP_NE",
        SeccompOp.LessThan => "SCMP_CMP_LT",
        SeccompOp.LessOrEqual => "SCMP_CMP_LE",
        SeccompOp.GreaterThan => "SCMP_CMP_GT",
        SeccompOp.GreaterOrEqual => "SCMP_CMP_GE",
        SeccompOp.MaskedEqual => MaskedEqual,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}

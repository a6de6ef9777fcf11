using Scute.Runtime.Oci;
using Scute.Runtime.Seccomp;

namespace Scute.Runtime.Tests.Oci;

/// <summary>
/// How runc's libseccomp decides a call from a linux.seccomp object, as observed with runc 1.1 and
/// libseccomp 2.5 on this kind of host: an unconditional rule for a call wins over every
/// conditional one; otherwise a rule whose comparisons all hold (on all 64 bits) decides; else the
/// default action. Conditional rules that both match with different actions are ambiguous there,
/// so the model refuses them.
/// </summary>
internal static class LibseccompModel
{
    public static uint Decide(OciSeccomp filter, string name, params ulong[] args)
    {
        var rules = filter.Syscalls.Where(s => s.Names.Contains(name)).ToList();
        var always = rules.Where(r => r.Args is null || r.Args.Count == 0).Select(Action).Distinct().ToList();
        Assert.True(always.Count <= 1, $"{name}: unconditional rules with different actions");
        if (always.Count == 1)
        {
            return always[0];
        }

        var matching = rules.Where(r => r.Args!.All(a => Holds(a, a.Index < args.Length ? args[a.Index] : 0))).Select(Action).Distinct().ToList();
        Assert.True(matching.Count <= 1, $"{name}({string.Join(", ", args)}): matching rules with different actions");
        foreach (var rule in rules)
        {
            Assert.True(rule.Args!.Select(a => a.Index).Distinct().Count() == rule.Args!.Count, $"{name}: a rule compares an argument twice (runc would OR them)");
        }

        return matching.Count == 1 ? matching[0] : Action(filter.DefaultAction, filter.DefaultErrnoRet);
    }

    private static bool Holds(OciSeccompArg a, ulong value) => a.Op switch
    {
        "SCMP_CMP_EQ" => value == a.Value,
        "SCMP_CMP_NE" => value != a.Value,
        "SCMP_CMP_LT" => value < a.Value,
        "SCMP_CMP_LE" => value <= a.Value,
        "SCMP_CMP_GT" => value > a.Value,
        "SCMP_CMP_GE" => value >= a.Value,
        "SCMP_CMP_MASKED_EQ" => (value & a.Value) == a.ValueTwo,
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };

    private static uint Action(OciSyscall s) => Action(s.Action, s.ErrnoRet);

    private static uint Action(string name, uint? errnoRet) => SeccompAction.Parse(name, errnoRet, "model").ReturnValue;
}

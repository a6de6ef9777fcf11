using System.Text;
using System.Text.Json;

namespace Scute.Runtime.Seccomp;

/// <summary>
/// The seccomp profile the namespace backend installs, written as the OCI/Docker JSON that
/// Podman, Quadlet and Kubernetes read: resolved first for the granted capabilities and this
/// architecture (so no includes/excludes remain), names this architecture lacks left out. An
/// equality test on an argument the kernel reads as 32 bits becomes a masked test on the low
/// 32 bits (libseccomp compares all 64), as the namespace backend's own filter compares it.
/// </summary>
public static class OciSeccompJson
{
    /// <summary>The profile for this spec, or null when seccomp is unconfined.</summary>
    public static string? Write(SeccompSpec spec, IEnumerable<string> capabilities, SeccompArch arch)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Mode == SeccompSpec.UnconfinedMode)
        {
            return null;
        }

        var profile = spec.Mode == SeccompSpec.DefaultMode ? DefaultProfile.Profile : SeccompProfile.Parse(spec.ProfileJson ?? "");
        return Write(profile.Resolve(capabilities, arch), arch);
    }

    public static string Write(ResolvedSeccompProfile profile, SeccompArch arch)
    {
        ArgumentNullException.ThrowIfNull(profile);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            WriteAction(w, "defaultAction", "defaultErrnoRet", profile.DefaultAction);
            w.WriteStartArray("architectures");
            w.WriteStringValue(arch == SeccompArch.X86_64 ? "SCMP_ARCH_X86_64" : "SCMP_ARCH_AARCH64");
            w.WriteEndArray();
            w.WriteStartArray("syscalls");
            foreach (var group in Groups(profile, arch))
            {
                w.WriteStartObject();
                w.WriteStartArray("names");
                foreach (var name in group.Names)
                {
                    w.WriteStringValue(name);
                }

                w.WriteEndArray();
                WriteAction(w, "action", "errnoRet", group.Action);
                if (group.Args.Count > 0)
                {
                    w.WriteStartArray("args");
                    foreach (var a in group.Args)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("index", a.Index);
                        w.WriteNumber("value", a.Value);
                        w.WriteNumber("valueTwo", a.ValueTwo);
                        w.WriteString("op", OpName(a.Op));
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The same conditions on the low 32 bits, for arguments the kernel reads as int.</summary>
    public static SeccompArgCondition Narrow(string syscall, SeccompArgCondition a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (ArgumentWidths.Bits(syscall, a.Index) > 32)
        {
            return a;
        }

        const ulong low = 0xFFFF_FFFF;
        return a.Op switch
        {
            SeccompOp.Equal => new SeccompArgCondition(a.Index, low, a.Value & low, SeccompOp.MaskedEqual),
            SeccompOp.MaskedEqual => a with { Value = a.Value & low, ValueTwo = a.ValueTwo & low },
            _ => a,
        };
    }

    private sealed record Group(List<string> Names, SeccompAction Action, IReadOnlyList<SeccompArgCondition> Args);

    /// <summary>Consecutive rules with one action and no argument tests share an entry; every other rule stays on its own.</summary>
    private static List<Group> Groups(ResolvedSeccompProfile profile, SeccompArch arch)
    {
        var groups = new List<Group>();
        foreach (var rule in profile.Rules.Where(r => SeccompArchitectures.SyscallNumber(arch, r.Name) is not null))
        {
            var args = rule.Args.Select(a => Narrow(rule.Name, a)).ToList();
            if (args.Count == 0 && groups.Count > 0 && groups[^1].Args.Count == 0 && groups[^1].Action == rule.Action)
            {
                if (!groups[^1].Names.Contains(rule.Name))
                {
                    groups[^1].Names.Add(rule.Name);
                }

                continue;
            }

            groups.Add(new Group([rule.Name], rule.Action, args));
        }

        return groups;
    }

    private static void WriteAction(Utf8JsonWriter w, string actionKey, string errnoKey, SeccompAction action)
    {
        w.WriteString(actionKey, action.Kind switch
        {
            SeccompActionKind.KillProcess => "SCMP_ACT_KILL_PROCESS",
            SeccompActionKind.KillThread => "SCMP_ACT_KILL_THREAD",
            SeccompActionKind.Trap => "SCMP_ACT_TRAP",
            SeccompActionKind.Errno => "SCMP_ACT_ERRNO",
            SeccompActionKind.Trace => "SCMP_ACT_TRACE",
            SeccompActionKind.Log => "SCMP_ACT_LOG",
            _ => "SCMP_ACT_ALLOW",
        });
        if (action.Kind is SeccompActionKind.Errno or SeccompActionKind.Trace)
        {
            w.WriteNumber(errnoKey, action.Data);
        }
    }

    private static string OpName(SeccompOp op) => op switch
    {
        SeccompOp.Equal => "SCMP_CMP_EQ",
        SeccompOp.NotEqual => "SCMP_CMP_NE",
        SeccompOp.LessThan => "SCMP_CMP_LT",
        SeccompOp.LessOrEqual => "SCMP_CMP_LE",
        SeccompOp.GreaterThan => "SCMP_CMP_GT",
        SeccompOp.GreaterOrEqual => "SCMP_CMP_GE",
        _ => "SCMP_CMP_MASKED_EQ",
    };
}

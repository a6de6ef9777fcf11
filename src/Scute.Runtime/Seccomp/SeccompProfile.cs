using System.Globalization;
using System.Text.Json;

namespace Scute.Runtime.Seccomp;

public enum SeccompOp
{
    Equal,
    NotEqual,
    LessThan,
    LessOrEqual,
    GreaterThan,
    GreaterOrEqual,
    MaskedEqual,
}

/// <summary>One argument test; for <see cref="SeccompOp.MaskedEqual"/>: (arg &amp; Value) == ValueTwo.</summary>
public sealed record SeccompArgCondition(int Index, ulong Value, ulong ValueTwo, SeccompOp Op);

/// <summary>Docker's includes/excludes: capabilities, architectures and (includes only) a minimum kernel.</summary>
public sealed record SeccompRuleScope
{
    public IReadOnlyList<string> Caps { get; init; } = [];

    public IReadOnlyList<string> Arches { get; init; } = [];

    public Version? MinKernel { get; init; }
}

public sealed record SeccompRule
{
    public required IReadOnlyList<string> Names { get; init; }

    public required SeccompAction Action { get; init; }

    public IReadOnlyList<SeccompArgCondition> Args { get; init; } = [];

    public SeccompRuleScope? Includes { get; init; }

    public SeccompRuleScope? Excludes { get; init; }
}

/// <summary>A rule after includes/excludes were resolved: it applies as is.</summary>
public sealed record ResolvedSeccompRule(string Name, SeccompAction Action, IReadOnlyList<SeccompArgCondition> Args);

public sealed record ResolvedSeccompProfile(SeccompAction DefaultAction, IReadOnlyList<ResolvedSeccompRule> Rules);

/// <summary>
/// A seccomp profile in the shape of the OCI/Docker JSON: a default action and rules that may
/// depend on the granted capabilities, the architecture and the kernel.
/// </summary>
public sealed record SeccompProfile
{
    public required SeccompAction DefaultAction { get; init; }

    public required IReadOnlyList<SeccompRule> Rules { get; init; }

    /// <summary>Parses an OCI/Docker seccomp profile; any error is a <see cref="ContainerSetupException"/> naming it.</summary>
    public static SeccompProfile Parse(string json)
    {
        SeccompProfileJson? doc;
        try
        {
            doc = JsonSerializer.Deserialize(json, SeccompJsonContext.Default.SeccompProfileJson);
        }
        catch (JsonException e)
        {
            throw new ContainerSetupException($"seccomp profile: invalid JSON: {e.Message}", e);
        }

        if (doc is null)
        {
            throw new ContainerSetupException("seccomp profile: empty document");
        }

        var rules = new List<SeccompRule>();
        foreach (var (call, i) in (doc.Syscalls ?? []).Select((c, i) => (c, i)))
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"syscalls[{i}]");
            var names = call.Names ?? (call.Name is null ? [] : [call.Name]);
            if (names.Count == 0 || names.Any(string.IsNullOrWhiteSpace))
            {
                throw new ContainerSetupException($"seccomp profile: {where}: no syscall names");
            }

            rules.Add(new SeccompRule
            {
                Names = names,
                Action = SeccompAction.Parse(call.Action, call.ErrnoRet, where),
                Args = [.. (call.Args ?? []).Select((a, j) => Condition(a, string.Create(CultureInfo.InvariantCulture, $"{where}.args[{j}]")))],
                Includes = Scope(call.Includes, where + ".includes"),
                Excludes = Scope(call.Excludes, where + ".excludes"),
            });
        }

        return new SeccompProfile
        {
            DefaultAction = SeccompAction.Parse(doc.DefaultAction, doc.DefaultErrnoRet, "defaultAction"),
            Rules = rules,
        };
    }

    /// <summary>Keeps the rules that apply with these capabilities (names with or without CAP_) on this architecture and kernel.</summary>
    public ResolvedSeccompProfile Resolve(IEnumerable<string> grantedCapabilities, SeccompArch arch, Version? kernel = null)
    {
        var caps = grantedCapabilities.Select(BareCapability).ToHashSet(StringComparer.OrdinalIgnoreCase);
        kernel ??= Environment.OSVersion.Version;
        var resolved = new List<ResolvedSeccompRule>();
        foreach (var rule in Rules)
        {
            if (rule.Includes is { } inc && !(inc.Caps.All(c => caps.Contains(BareCapability(c)))
                    && (inc.Arches.Count == 0 || inc.Arches.Any(a => SeccompArchitectures.Matches(arch, a)))
                    && (inc.MinKernel is null || kernel >= inc.MinKernel)))
            {
                continue;
            }

            if (rule.Excludes is { } exc && (exc.Caps.Any(c => caps.Contains(BareCapability(c)))
                    || exc.Arches.Any(a => SeccompArchitectures.Matches(arch, a))))
            {
                continue;
            }

            resolved.AddRange(rule.Names.Select(n => new ResolvedSeccompRule(n, rule.Action, rule.Args)));
        }

        return new ResolvedSeccompProfile(DefaultAction, resolved);
    }

    private static string BareCapability(string name) =>
        name.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? name[4..] : name;

    private static SeccompArgCondition Condition(SeccompArgJson a, string where)
    {
        if (a.Index is not { } index || index > 5)
        {
            throw new ContainerSetupException($"seccomp profile: {where}: index must be 0..5");
        }

        var op = a.Op switch
        {
            "SCMP_CMP_EQ" => SeccompOp.Equal,
            "SCMP_CMP_NE" => SeccompOp.NotEqual,
            "SCMP_CMP_LT" => SeccompOp.LessThan,
            "SCMP_CMP_LE" => SeccompOp.LessOrEqual,
            "SCMP_CMP_GT" => SeccompOp.GreaterThan,
            "SCMP_CMP_GE" => SeccompOp.GreaterOrEqual,
            "SCMP_CMP_MASKED_EQ" => SeccompOp.MaskedEqual,
            _ => throw new ContainerSetupException($"seccomp profile: {where}: unknown op '{a.Op}' (expected SCMP_CMP_EQ, NE, LT, LE, GT, GE or MASKED_EQ)"),
        };
        return new SeccompArgCondition((int)index, a.Value, a.ValueTwo, op);
    }

    private static SeccompRuleScope? Scope(SeccompScopeJson? s, string where)
    {
        if (s is null)
        {
            return null;
        }

        Version? minKernel = null;
        if (!string.IsNullOrEmpty(s.MinKernel) && !Version.TryParse(s.MinKernel.Contains('.', StringComparison.Ordinal) ? s.MinKernel : s.MinKernel + ".0", out minKernel))
        {
            throw new ContainerSetupException($"seccomp profile: {where}.minKernel: '{s.MinKernel}' is not a kernel version like 5.8");
        }

        return new SeccompRuleScope { Caps = s.Caps ?? [], Arches = s.Arches ?? [], MinKernel = minKernel };
    }
}

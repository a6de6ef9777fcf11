using FsCheck.Xunit;
using Scute.Manifest.Tests.Support;

namespace Scute.Manifest.Tests;

public class EnvIdentityProperties
{
    [Property]
    public bool Distinct_inputs_give_distinct_ids((string?, string?)[] left, (string?, string?)[] right, string?[] leftApps, string?[] rightApps)
    {
        var a = Identities.Simple(Packages(left), Apps(leftApps));
        var b = Identities.Simple(Packages(right), Apps(rightApps));
        var sameMeaning = Normal(a.Packages).SequenceEqual(Normal(b.Packages))
            && a.Apps.Distinct().Order(StringComparer.Ordinal).SequenceEqual(b.Apps.Distinct().Order(StringComparer.Ordinal));
        var sameId = EnvIdentity.ComputeEnvId(a) == EnvIdentity.ComputeEnvId(b);
        return sameMeaning == sameId;
    }

    [Property]
    public bool Concatenation_ambiguity_never_collides(string? prefix, string? middle, string? suffix)
    {
        var p = prefix ?? string.Empty;
        var m = middle ?? "x";
        var s = suffix ?? string.Empty;
        if (m.Length == 0)
        {
            return true;
        }

        string[] left = [Clean(p + m), Clean(s)];
        string[] right = [Clean(p), Clean(m + s)];
        if (left.Order(StringComparer.Ordinal).SequenceEqual(right.Order(StringComparer.Ordinal)))
        {
            return true; // e.g. ("a", "") vs ("", "a"): the same set of packages, rightly the same id.
        }

        var a = EnvIdentity.ComputeEnvId(Identities.Simple([new(left[0], "1"), new(left[1], "1")]));
        var b = EnvIdentity.ComputeEnvId(Identities.Simple([new(right[0], "1"), new(right[1], "1")]));
        return a != b;
    }

    private static List<ResolvedPackage> Packages((string?, string?)[]? pairs) =>
        [.. (pairs ?? []).Select(p => new ResolvedPackage(Clean(p.Item1), Clean(p.Item2)))];

    private static List<string> Apps(string?[]? apps) => [.. (apps ?? []).Select(Clean)];

    private static IEnumerable<ResolvedPackage> Normal(IEnumerable<ResolvedPackage> packages) =>
        packages.Distinct().OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal);

    // Lone surrogates cannot be written as UTF-8 and are not package names; map them as a JSON writer would.
    private static string Clean(string? s) =>
        System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(s ?? string.Empty));
}

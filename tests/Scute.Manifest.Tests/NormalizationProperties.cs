using System.Text;
using FsCheck.Xunit;
using Scute.Manifest.Tests.Support;

namespace Scute.Manifest.Tests;

public class NormalizationProperties
{
    private static readonly string[] Pool = ["git", "curl", "vim", "make", "gcc", "python3", "jq", "zsh", "ripgrep", "fd-find"];
    private static readonly string[] Pads = ["", " ", "  ", "\t", " \t "];

    [Property]
    public bool Packages_and_apps_ignore_order_duplicates_and_padding(int seed, byte[] picks, byte[] appPicks)
    {
        var packages = picks.Select(b => Pool[b % Pool.Length]).ToList();
        var apps = appPicks.Select(b => Pool[b % Pool.Length]).ToList();
        var random = new Random(seed);

        var plain = Manifest(packages, apps, []);
        var messy = Manifest(Mess(packages, random), Mess(apps, random), []);

        return CanonicalManifest.ToJson(Samples.Parse(plain)) == CanonicalManifest.ToJson(Samples.Parse(messy));
    }

    [Property]
    public bool Mounts_ignore_order_and_padding(int seed, byte[] picks)
    {
        var random = new Random(seed);
        var mounts = picks.Select(b => b % Pool.Length).Distinct()
            .Select(i => ($"m{i}", $"./{Pool[i]}:/mnt/{Pool[i]}" + (i % 2 == 0 ? ":ro" : string.Empty)))
            .ToList();
        var shuffled = mounts.OrderBy(_ => random.Next())
            .Select(m => (m.Item1, Pads[random.Next(Pads.Length)] + m.Item2 + Pads[random.Next(Pads.Length)]))
            .ToList();

        return CanonicalManifest.ToJson(Samples.Parse(Manifest([], [], mounts)))
            == CanonicalManifest.ToJson(Samples.Parse(Manifest([], [], shuffled)));
    }

    private static List<string> Mess(List<string> names, Random random)
    {
        var messy = new List<string>(names);
        messy.AddRange(names.Where(_ => random.Next(2) == 0));
        return messy.OrderBy(_ => random.Next())
            .Select(n => Pads[random.Next(Pads.Length)] + n + Pads[random.Next(Pads.Length)])
            .ToList();
    }

    private static string Manifest(IEnumerable<string> packages, IEnumerable<string> apps, IEnumerable<(string Label, string Value)> mounts)
    {
        var sb = new StringBuilder(Samples.Minimal).Append('\n');
        sb.Append("[system]\npackages = [").AppendJoin(", ", packages.Select(Quote)).Append("]\n");
        sb.Append("[gui]\napps = [").AppendJoin(", ", apps.Select(Quote)).Append("]\n");
        sb.Append("[mounts]\n");
        foreach (var (label, value) in mounts)
        {
            sb.Append(label).Append(" = ").Append(Quote(value)).Append('\n');
        }

        return sb.ToString();
    }

    private static string Quote(string s) => "\"" + s.Replace("\t", "\\t", StringComparison.Ordinal) + "\"";
}

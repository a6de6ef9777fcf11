using System.Text;
using Scute.Engine.Packages;
using Scute.Runtime;

namespace Scute.Engine.Tests.Packages;

/// <summary>
/// Stands in for apt inside the install run: "installs" a file per name into the upper folder,
/// answers dpkg-query in dpkg's format with the versions it was given, and fails a pinned
/// install of a version it does not have the way apt-get does.
/// </summary>
internal sealed class FakeApt : IInstallRunner
{
    public Dictionary<string, string> Available { get; } = new(StringComparer.Ordinal) { ["hello"] = "2.10-3", ["git"] = "1:2.39.5-0+deb12u3" };

    public List<IReadOnlyList<string>> Commands { get; } = [];

    public List<RunSpec> Specs { get; } = [];

    public int Installs => Commands.Count(c => c.Count > 1 && c[0] == "apt-get" && c[1] == "install");

    public IdMap IdMap { get; } = new() { HostUid = 1000, HostGid = 1000, InsideUserForHost = 0, InsideGroupForHost = 0, SubUids = new(100000, 65536), SubGids = new(100000, 65536) };

    /// <summary>A folder that looks like a Debian rootfs to the detector.</summary>
    public static string MakeRootfs(string parent)
    {
        var rootfs = Path.Combine(parent, "debian-rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "usr/bin"));
        Directory.CreateDirectory(Path.Combine(rootfs, "var/lib/dpkg"));
        File.WriteAllText(Path.Combine(rootfs, "usr/bin/apt-get"), "");
        File.WriteAllText(Path.Combine(rootfs, "var/lib/dpkg/status"), "");
        return rootfs;
    }

    public int Reclaims { get; private set; }

    public void Reclaim(RunSpec spec) => Reclaims++;

    public int Run(RunSpec spec, Stream stdout, Stream stderr)
    {
        Commands.Add(spec.Command);
        Specs.Add(spec);
        switch (spec.Command.ToArray())
        {
            case ["apt-get", "install", .. var args]:
                foreach (var arg in args.Where(a => !a.StartsWith('-')))
                {
                    var name = arg.Split('=')[0].Split(':')[0];
                    var version = arg.Contains('=', StringComparison.Ordinal) ? arg[(arg.IndexOf('=', StringComparison.Ordinal) + 1)..] : Available[name];
                    if (Available.GetValueOrDefault(name) != version)
                    {
                        stderr.Write(Encoding.UTF8.GetBytes($"E: Version '{version}' for '{name}' was not found\n"));
                        return 100;
                    }

                    Directory.CreateDirectory(Path.Combine(spec.UpperDir, "usr/bin"));
                    File.WriteAllText(Path.Combine(spec.UpperDir, "usr/bin", name), version);
                }

                return 0;
            case ["dpkg-query", _, _, .. var names]:
                foreach (var name in names.Select(n => n.Split(':')[0]))
                {
                    var version = File.ReadAllText(Path.Combine(spec.UpperDir, "usr/bin", name));
                    stdout.Write(Encoding.UTF8.GetBytes($"{name}\t{version}\tii \n"));
                }

                return 0;
            default:
                return 0;
        }
    }
}

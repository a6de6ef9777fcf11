using Scute.Manifest;

namespace Scute.Engine.Packages;

/// <summary>Fedora and openSUSE share rpm's database: rpm -q with a query format reads the versions back.</summary>
public abstract class RpmManager : PackageManager
{
    /// <summary>Name, then [epoch:]version-release, tab-separated; rpm prints the epoch only when the package has one.</summary>
    public const string QueryFormat = "%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\n";

    public override IReadOnlyList<string> QueryCommand(IReadOnlyList<string> names) => ["rpm", "-q", "--qf", QueryFormat, .. names];

    protected override IEnumerable<(string Name, string Version)> ParseInstalled(string output)
    {
        // "package foo is not installed" lines have no tab and are skipped.
        foreach (var f in Lines(output))
        {
            if (f.Length == 2 && f[0].Length > 0 && f[1].Length > 0)
            {
                yield return (f[0], f[1]);
            }
        }
    }
}

/// <summary>Fedora, RHEL and their rebuilds.</summary>
public sealed class DnfManager : RpmManager
{
    public override string Name => "dnf";

    public override IReadOnlyList<IReadOnlyList<string>> InstallCommands(IReadOnlyList<string> names) =>
        One(["dnf", "install", "-y", "--setopt=install_weak_deps=False", .. names]);

    public override IReadOnlyList<IReadOnlyList<string>> CleanCommands { get; } = [["dnf", "clean", "all"]];

    /// <summary>dnf's NEVR form: name-[epoch:]version-release.</summary>
    public override string PinnedName(ResolvedPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return $"{package.Name}-{package.Version}";
    }

    // "No match for argument: hello-9.9-9.fc41"
    protected override bool LooksLikeNotFound(string line) => line.Contains("No match for argument", StringComparison.Ordinal);
}

/// <summary>openSUSE and SLES.</summary>
public sealed class ZypperManager : RpmManager
{
    public override string Name => "zypper";

    public override IReadOnlyList<IReadOnlyList<string>> InstallCommands(IReadOnlyList<string> names) =>
        [["zypper", "--non-interactive", "refresh"], ["zypper", "--non-interactive", "install", "--no-recommends", .. names]];

    public override IReadOnlyList<IReadOnlyList<string>> CleanCommands { get; } = [["zypper", "--non-interactive", "clean", "--all"]];

    /// <summary>zypper reads an argument with an operator as a capability: name=version-release is exact.</summary>
    public override string PinnedName(ResolvedPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return $"{package.Name}={package.Version}";
    }

    // "No provider of 'hello=9.9-9.1' found."
    protected override bool LooksLikeNotFound(string line) =>
        line.Contains("No provider of", StringComparison.Ordinal) || line.Contains("not found in package names", StringComparison.Ordinal);
}

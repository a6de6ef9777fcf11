using Scute.Manifest;

namespace Scute.Engine.Packages;

/// <summary>Debian and Ubuntu: apt-get installs, dpkg-query reads the versions back.</summary>
public sealed class AptManager : PackageManager
{
    /// <summary>Package, version and dpkg's three-letter status ("ii " when installed), tab-separated.</summary>
    public const string QueryFormat = "${Package}\t${Version}\t${db:Status-Abbrev}\n";

    public override string Name => "apt";

    public override IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        // debconf would otherwise ask questions on a terminal nobody watches.
        ["DEBIAN_FRONTEND"] = "noninteractive",
    };

    public override IReadOnlyList<IReadOnlyList<string>> InstallCommands(IReadOnlyList<string> names) =>
        [["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", .. names]];

    // The lists are what `apt-get update` fetched: stale the day after, and the bulk of the layer.
    public override IReadOnlyList<IReadOnlyList<string>> CleanCommands { get; } =
        [["apt-get", "clean"], ["find", "/var/lib/apt/lists", "-maxdepth", "1", "-type", "f", "-name", "*_*", "-delete"]];

    public override IReadOnlyList<string> QueryCommand(IReadOnlyList<string> names) => ["dpkg-query", "-W", "-f=" + QueryFormat, .. names];

    public override string PinnedName(ResolvedPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return $"{package.Name}={package.Version}";
    }

    protected override IEnumerable<(string Name, string Version)> ParseInstalled(string output)
    {
        foreach (var f in Lines(output))
        {
            // "un " or "rc " rows name packages dpkg knows of but that are not (fully) installed.
            if (f.Length >= 3 && f[2].StartsWith("ii", StringComparison.Ordinal) && f[1].Length > 0)
            {
                yield return (f[0], f[1]);
            }
        }
    }

    // "E: Version '9.9-9' for 'hello' was not found", "E: Unable to locate package nosuchpackage".
    protected override bool LooksLikeNotFound(string line) =>
        line.StartsWith("E: ", StringComparison.Ordinal)
        && (line.Contains("was not found", StringComparison.Ordinal) || line.Contains("Unable to locate package", StringComparison.Ordinal));
}

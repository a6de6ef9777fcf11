using Scute.Manifest;

namespace Scute.Engine.Packages;

/// <summary>
/// Alpine: apk add installs. apk's own listings print name-version joined by a dash, which is
/// ambiguous when names contain dashes; its installed database states both separately (P: and
/// V: lines of one stanza per package), so the versions are read from there.
/// </summary>
public sealed class ApkManager : PackageManager
{
    public const string InstalledDb = "/lib/apk/db/installed";

    public override string Name => "apk";

    public override IReadOnlyList<IReadOnlyList<string>> InstallCommands(IReadOnlyList<string> names) =>
        One(["apk", "add", "--no-cache", .. names]);

    // --no-cache keeps no index or archive: nothing to clean.
    public override IReadOnlyList<IReadOnlyList<string>> CleanCommands { get; } = [];

    public override IReadOnlyList<string> QueryCommand(IReadOnlyList<string> names) => ["cat", InstalledDb];

    public override string PinnedName(ResolvedPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return $"{package.Name}={package.Version}";
    }

    protected override IEnumerable<(string Name, string Version)> ParseInstalled(string output)
    {
        string? name = null;
        string? version = null;
        foreach (var raw in output.Split('\n').Append(string.Empty))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                if (name is not null && version is not null)
                {
                    yield return (name, version);
                }

                (name, version) = (null, null);
            }
            else if (line.StartsWith("P:", StringComparison.Ordinal))
            {
                name = line[2..];
            }
            else if (line.StartsWith("V:", StringComparison.Ordinal))
            {
                version = line[2..];
            }
        }
    }

    // "  hello-9.9-r9:" under "ERROR: unable to select packages:", or "hello (no such package)".
    protected override bool LooksLikeNotFound(string line) =>
        line.Contains("no such package", StringComparison.Ordinal) || line.Contains("breaks: world[", StringComparison.Ordinal);
}

using Scute.Manifest;

namespace Scute.Engine.Packages;

/// <summary>Arch Linux: pacman -Sy installs, pacman -Q reads the versions back.</summary>
public sealed class PacmanManager : PackageManager
{
    public override string Name => "pacman";

    public override IReadOnlyList<IReadOnlyList<string>> InstallCommands(IReadOnlyList<string> names) =>
        One(["pacman", "-Sy", "--noconfirm", "--needed", .. names]);

    public override IReadOnlyList<IReadOnlyList<string>> CleanCommands { get; } = [["pacman", "-Scc", "--noconfirm"]];

    public override IReadOnlyList<string> QueryCommand(IReadOnlyList<string> names) => ["pacman", "-Q", .. names];

    /// <summary>pacman resolves a target like a dependency: name=version matches that exact version only.</summary>
    public override string PinnedName(ResolvedPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return $"{package.Name}={package.Version}";
    }

    // One "name version" per line; "error: package 'x' was not found" lines go to stderr.
    protected override IEnumerable<(string Name, string Version)> ParseInstalled(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && !parts[0].EndsWith(':'))
            {
                yield return (parts[0], parts[1]);
            }
        }
    }

    // "error: target not found: hello=9.9-9"
    protected override bool LooksLikeNotFound(string line) => line.Contains("target not found", StringComparison.Ordinal);
}

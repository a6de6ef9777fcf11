using Scute.Manifest;

namespace Scute.Engine.Packages;

/// <summary>
/// One distribution package manager as a build sees it: the command lines that install names
/// (or exact locked versions) non-interactively, the commands that drop its download caches,
/// and how the exact installed version of each requested name is read back from its database.
/// Each command is an argv run directly (no shell), so a name is never interpreted as syntax.
/// </summary>
public abstract class PackageManager
{
    /// <summary>apt, dnf, zypper, pacman or apk.</summary>
    public abstract string Name { get; }

    /// <summary>Variables the commands need besides PATH and HOME.</summary>
    public virtual IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>();

    /// <summary>Install the newest version the configured repositories offer of each name.</summary>
    public abstract IReadOnlyList<IReadOnlyList<string>> InstallCommands(IReadOnlyList<string> names);

    /// <summary>Install exactly these versions (build --locked): the install commands with each manager's exact form of every name.</summary>
    public IReadOnlyList<IReadOnlyList<string>> PinnedInstallCommands(IReadOnlyList<ResolvedPackage> packages)
    {
        ArgumentNullException.ThrowIfNull(packages);
        return InstallCommands([.. packages.Select(PinnedName)]);
    }

    /// <summary>Drops the downloaded indexes and archives so they do not end up in the Dependency layer.</summary>
    public abstract IReadOnlyList<IReadOnlyList<string>> CleanCommands { get; }

    /// <summary>Prints the installed version of each name (given without =version), in a form <see cref="ParseVersions"/> reads.</summary>
    public abstract IReadOnlyList<string> QueryCommand(IReadOnlyList<string> names);

    /// <summary>
    /// The exact installed version of each requested name (as <see cref="PackageNames.Bare"/>
    /// gives it), sorted by name. A name the output does not show as installed is an error naming it.
    /// </summary>
    public IReadOnlyList<ResolvedPackage> ParseVersions(string output, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(names);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, version) in ParseInstalled(output))
        {
            found.TryAdd(name, version);
        }

        var missing = names.Where(n => !found.ContainsKey(PackageNames.InDatabase(n))).ToList();
        if (missing.Count > 0)
        {
            throw new EngineException(
                $"{Name} installed no package named {string.Join(", ", missing)} (a virtual or renamed package? name the real package in system.packages)");
        }

        return [.. names.Select(PackageNames.Bare).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(n => new ResolvedPackage(n, found[PackageNames.InDatabase(n)]))];
    }

    /// <summary>Every (name, version) the query output shows as installed.</summary>
    protected abstract IEnumerable<(string Name, string Version)> ParseInstalled(string output);

    /// <summary>The exact version argument this manager accepts for one locked package.</summary>
    public abstract string PinnedName(ResolvedPackage package);

    /// <summary>
    /// The locked package the manager's error output says it cannot find, if any: a line naming
    /// both the package and its locked version (every manager's "not found" message does).
    /// </summary>
    public ResolvedPackage? FindUnavailable(string errorOutput, IReadOnlyList<ResolvedPackage> locked)
    {
        ArgumentNullException.ThrowIfNull(errorOutput);
        ArgumentNullException.ThrowIfNull(locked);
        foreach (var line in errorOutput.Split('\n'))
        {
            if (!LooksLikeNotFound(line))
            {
                continue;
            }

            var hit = locked.FirstOrDefault(p => line.Contains(PinnedName(p), StringComparison.Ordinal)
                || (ContainsWord(line, p.Name) && line.Contains(p.Version, StringComparison.Ordinal)));
            if (hit is not null)
            {
                return hit;
            }
        }

        return null;
    }

    /// <summary>Whether one line of error output is this manager's "no such package or version".</summary>
    protected abstract bool LooksLikeNotFound(string line);

    private static bool ContainsWord(string line, string word)
    {
        for (var i = line.IndexOf(word, StringComparison.Ordinal); i >= 0; i = line.IndexOf(word, i + 1, StringComparison.Ordinal))
        {
            var before = i == 0 || !IsNameChar(line[i - 1]);
            var after = i + word.Length == line.Length || !IsNameChar(line[i + word.Length]);
            if (before && after)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '_' or '-' or '@';

    protected static IReadOnlyList<IReadOnlyList<string>> One(params string[] argv) => [argv];

    protected static IEnumerable<string[]> Lines(string output) =>
        output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).Select(l => l.Split('\t'));
}

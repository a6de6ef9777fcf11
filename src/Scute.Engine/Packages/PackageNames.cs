using Scute.Manifest;

namespace Scute.Engine.Packages;

/// <summary>
/// What a package name or a locked version may look like. Names and versions become arguments
/// of the package manager; one starting with '-' would be read as an option, so only the
/// characters distributions use are accepted, starting with a letter or digit.
/// </summary>
public static class PackageNames
{
    public const string AcceptedName = "package names of letters, digits and + . _ - @, starting with a letter or digit";

    public static bool IsName(string name) =>
        name.Length > 0 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '_' or '-' or '@');

    /// <summary>Versions also carry an epoch (':') and Debian's '~'.</summary>
    public static bool IsVersion(string version) =>
        version.Length is > 0 and <= 256 && char.IsAsciiLetterOrDigit(version[0])
        && version.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '_' or '-' or '~' or ':');

    /// <summary>Refuses, with the manifest line, the first name that is not a package name.</summary>
    public static void Validate(EnvironmentManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (var (key, names) in new[] { ("system.packages", manifest.Packages), ("gui.apps", manifest.Apps) })
        {
            if (names.FirstOrDefault(n => !IsName(n)) is { } bad)
            {
                var line = manifest.KeyLines.TryGetValue(key, out var l) ? l : (int?)null;
                throw new ManifestException(manifest.SourcePath, line, key, $"\"{bad}\" is not a package name", AcceptedName);
            }
        }
    }
}

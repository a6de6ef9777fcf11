namespace Scute.Engine.Sbom;

/// <summary>
/// The package databases Scute reads: dpkg's status file and apk's installed file. Both are
/// stanzas of "Key: value" (dpkg, with indented continuation lines) or "K:value" (apk) lines
/// separated by blank lines. Pure functions of the text, so the rules are testable without a rootfs.
/// </summary>
public static class PackageDatabases
{
    public const string DpkgStatus = "/var/lib/dpkg/status";
    public const string ApkInstalled = "/lib/apk/db/installed";

    /// <summary>Packages whose Status says installed (dpkg keeps removed-but-configured ones in the file too).</summary>
    public static IReadOnlyList<InstalledPackage> ParseDpkgStatus(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<InstalledPackage>();
        foreach (var stanza in Stanzas(text))
        {
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string? last = null;
            foreach (var line in stanza)
            {
                if (line.StartsWith(' ') || line.StartsWith('\t'))
                {
                    // A continuation (Description, Conffiles): nothing Scute reads spans lines.
                    continue;
                }

                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    continue;
                }

                last = line[..colon];
                fields[last] = line[(colon + 1)..].Trim();
            }

            if (fields.TryGetValue("Package", out var name) && fields.TryGetValue("Version", out var version)
                && fields.TryGetValue("Status", out var status) && status.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, _, "installed"])
            {
                result.Add(new InstalledPackage("deb", name, version, fields.GetValueOrDefault("Architecture"), fields.GetValueOrDefault("Maintainer")));
            }
        }

        return Sorted(result);
    }

    /// <summary>apk's installed database: P name, V version, A architecture, m maintainer.</summary>
    public static IReadOnlyList<InstalledPackage> ParseApkInstalled(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<InstalledPackage>();
        foreach (var stanza in Stanzas(text))
        {
            var fields = new Dictionary<char, string>();
            foreach (var line in stanza)
            {
                if (line.Length >= 2 && line[1] == ':')
                {
                    fields.TryAdd(line[0], line[2..].Trim());
                }
            }

            if (fields.TryGetValue('P', out var name) && fields.TryGetValue('V', out var version))
            {
                result.Add(new InstalledPackage("apk", name, version, fields.GetValueOrDefault('A'), fields.GetValueOrDefault('m')));
            }
        }

        return Sorted(result);
    }

    /// <summary>ID from os-release (purl namespace: "debian", "alpine"); null when absent.</summary>
    public static string? OsReleaseId(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("ID=", StringComparison.Ordinal))
            {
                var id = line[3..].Trim().Trim('"', '\'');
                return id.Length == 0 ? null : id;
            }
        }

        return null;
    }

    private static List<InstalledPackage> Sorted(List<InstalledPackage> packages) =>
        [.. packages.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Architecture, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal)];

    private static IEnumerable<List<string>> Stanzas(string text)
    {
        var current = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                if (current.Count > 0)
                {
                    yield return current;
                    current = [];
                }

                continue;
            }

            current.Add(line);
        }

        if (current.Count > 0)
        {
            yield return current;
        }
    }
}

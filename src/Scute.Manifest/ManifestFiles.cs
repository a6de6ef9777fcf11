namespace Scute.Manifest;

/// <summary>Where manifests and their lock files live.</summary>
public static class ManifestFiles
{
    public const string ScuteFileName = "scute.toml";
    public const string KarapaceFileName = "karapace.toml";

    /// <summary>
    /// The manifest <c>build</c> reads when given no path: scute.toml wins over karapace.toml so a project
    /// migrating from Karapace can keep the old file around while it switches.
    /// </summary>
    public static string FindDefault(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        foreach (var name in new[] { ScuteFileName, KarapaceFileName })
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new ManifestException(folder, null, null, "no manifest found in this folder", $"{ScuteFileName} or {KarapaceFileName}");
    }

    /// <summary>The lock file sits next to its manifest and is named after it: web.toml → web.lock.</summary>
    public static string LockPathFor(string manifestPath)
    {
        ArgumentNullException.ThrowIfNull(manifestPath);
        var folder = Path.GetDirectoryName(manifestPath) ?? string.Empty;
        var name = Path.GetFileName(manifestPath);
        var stem = name.EndsWith(".toml", StringComparison.OrdinalIgnoreCase) ? name[..^".toml".Length] : name;
        return Path.Combine(folder, stem + ".lock");
    }
}

namespace Scute.Engine.Packages;

/// <summary>
/// Requested names as the manifest writes them (the policy's PackageNamesCheck already refused
/// anything that could be read as an option or shell syntax): name, optionally :arch, optionally
/// =version. The lock and the version query use the name without =version; the package
/// databases print names without :arch.
/// </summary>
public static class PackageNames
{
    /// <summary>The name as the lock records it: without a requested =version.</summary>
    public static string Bare(string requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var eq = requested.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? requested : requested[..eq];
    }

    /// <summary>The name as package databases print it: also without :arch.</summary>
    public static string InDatabase(string requested)
    {
        var bare = Bare(requested);
        var colon = bare.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? bare : bare[..colon];
    }

    /// <summary>A locked version becomes an argument of the package manager: only the characters versions use, never a leading '-'.</summary>
    public static bool IsVersion(string version) =>
        version.Length is > 0 and <= 256 && char.IsAsciiLetterOrDigit(version[0])
        && version.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '_' or '-' or '~' or ':');
}

namespace Scute.Store.Tar;

/// <summary>Turns an archive name into path components, refusing anything that could leave the target.</summary>
internal static class TarPath
{
    /// <summary>Components with "" and "." dropped; empty for the archive root ("./").</summary>
    public static string[] Split(string name, string entryName, string what)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new UnsafeArchiveException(entryName, $"{what} is empty");
        }

        if (name.StartsWith('/'))
        {
            throw new UnsafeArchiveException(entryName, $"{what} '{name}' is absolute");
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new UnsafeArchiveException(entryName, $"{what} contains a NUL byte");
        }

        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Contains(".."))
        {
            throw new UnsafeArchiveException(entryName, $"{what} '{name}' contains a '..' component");
        }

        return parts.Where(p => p != ".").ToArray();
    }

    public static string Key(string[] parts) => string.Join('/', parts);
}

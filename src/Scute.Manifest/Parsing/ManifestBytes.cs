namespace Scute.Manifest.Parsing;

/// <summary>Reads a manifest file with a size cap, turning every IO failure into a ManifestException.</summary>
internal static class ManifestBytes
{
    public static byte[] Read(string path)
    {
        if (Directory.Exists(path))
        {
            throw new ManifestException(path, null, null, "is a folder, not a file", "a path to a scute.toml file");
        }

        try
        {
            return BoundedFile.ReadAll(path, ManifestParser.MaxFileBytes)
                ?? throw new ManifestException(path, null, null, "the file is larger than 1 MiB", "a manifest of at most 1 MiB");
        }
        catch (FileNotFoundException ex)
        {
            throw new ManifestException(path, null, null, "file not found", "a path to an existing scute.toml or karapace.toml", ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new ManifestException(path, null, null, "folder not found", "a path to an existing scute.toml or karapace.toml", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ManifestException(path, null, null, "permission denied", "a readable file", ex);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            throw new ManifestException(path, null, null, $"cannot be read: {ex.Message}", "a readable file", ex);
        }
    }
}

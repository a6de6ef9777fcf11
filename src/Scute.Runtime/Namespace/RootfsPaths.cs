namespace Scute.Runtime.Namespace;

/// <summary>
/// Creates folders and files inside a new root without ever following a symlink, so an image
/// cannot point a mount target at a host path.
/// </summary>
internal static class RootfsPaths
{
    public static string EnsureDirectory(string root, string containerPath)
    {
        var current = root;
        foreach (var part in Split(containerPath))
        {
            current = Path.Combine(current, part);
            var info = new DirectoryInfo(current);
            if (info.LinkTarget is not null)
            {
                throw new ContainerSetupException($"mount target {containerPath} passes through a symlink at {part}; refused");
            }

            if (!info.Exists)
            {
                if (File.Exists(current))
                {
                    throw new ContainerSetupException($"mount target {containerPath}: {part} is a file, not a folder");
                }

                Directory.CreateDirectory(current);
            }
        }

        return current;
    }

    /// <summary>Ensures an empty regular file exists at the path (for binding a host file onto it).</summary>
    public static string EnsureFile(string root, string containerPath)
    {
        var parent = Path.GetDirectoryName(containerPath.TrimEnd('/')) ?? "/";
        var dir = EnsureDirectory(root, parent);
        var file = Path.Combine(dir, Path.GetFileName(containerPath.TrimEnd('/')));
        var info = new FileInfo(file);
        if (info.LinkTarget is not null)
        {
            throw new ContainerSetupException($"mount target {containerPath} is a symlink; refused");
        }

        if (!info.Exists && !Directory.Exists(file))
        {
            using (File.Create(file))
            {
            }
        }

        return file;
    }

    private static IEnumerable<string> Split(string containerPath)
    {
        foreach (var part in containerPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part is "." or "..")
            {
                throw new ContainerSetupException($"mount target {containerPath} contains '{part}'; refused");
            }

            yield return part;
        }
    }
}

using static Scute.Core.Interop.Libc;

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
            current = current + "/" + part;
            switch (FileKind.Of(current, follow: false))
            {
                case FileKind.Directory:
                    continue;
                case FileKind.Symlink:
                    throw new ContainerSetupException($"mount target {containerPath} passes through a symlink at {part}; refused");
                case FileKind.Missing:
                    // A folder made meanwhile (EEXIST) is checked as any other: mkdir never follows a link.
                    if (mkdir(current, 0x1FF) != 0 && (Errno != EEXIST || FileKind.Of(current, follow: false) != FileKind.Directory))
                    {
                        throw new ContainerSetupException($"mount target {containerPath}: cannot make {part}: {Describe(Errno)}");
                    }

                    continue;
                default:
                    throw new ContainerSetupException($"mount target {containerPath}: {part} is a file, not a folder");
            }
        }

        return current;
    }

    /// <summary>Ensures an empty regular file exists at the path (for binding a host file onto it).</summary>
    public static string EnsureFile(string root, string containerPath)
    {
        var parent = Path.GetDirectoryName(containerPath.TrimEnd('/')) ?? "/";
        var dir = EnsureDirectory(root, parent);
        var file = dir + "/" + Path.GetFileName(containerPath.TrimEnd('/'));
        switch (FileKind.Of(file, follow: false))
        {
            case FileKind.Symlink:
                throw new ContainerSetupException($"mount target {containerPath} is a symlink; refused");
            case FileKind.Missing:
                CreateEmpty(file, $"mount target {containerPath}");
                break;
        }

        return file;
    }

    /// <summary>Creates an empty file where nothing is (O_EXCL: never through a link), or accepts the regular file a race put there.</summary>
    public static void CreateEmpty(string path, string what)
    {
        var fd = open(path, O_CREAT | O_EXCL | O_WRONLY | NoFollowFlag | O_CLOEXEC, 0x1B6);
        if (fd >= 0)
        {
            _ = close(fd);
            return;
        }

        var errno = Errno;
        if (errno != EEXIST || FileKind.Of(path, follow: false) != FileKind.Regular)
        {
            throw new ContainerSetupException($"{what}: cannot create {path}: {Describe(errno)}");
        }
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

namespace Scute.Store.Wal;

/// <summary>
/// Deletes a file or tree without following symlinks, including folders made read-only
/// (overlay work dirs are left mode 000 by the kernel). Missing paths are fine: replay is idempotent.
/// </summary>
public static class PathRemoval
{
    public static void Remove(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists && !Directory.Exists(path) && info.LinkTarget is null && !IsSpecial(path))
        {
            return;
        }

        if (info.LinkTarget is not null || !Directory.Exists(path))
        {
            File.Delete(path);
            return;
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            MakeWritable(path);
            Directory.Delete(path, recursive: true);
        }
    }

    private static bool IsSpecial(string path) => Interop.LStat(Interop.AtFdCwd, path, out _) == 0;

    private static void MakeWritable(string dir)
    {
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var sub in Directory.EnumerateDirectories(dir, "*", new EnumerationOptions { AttributesToSkip = 0 }))
        {
            if (new DirectoryInfo(sub).LinkTarget is null)
            {
                MakeWritable(sub);
            }
        }
    }
}

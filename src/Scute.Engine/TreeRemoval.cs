namespace Scute.Engine;

/// <summary>
/// Deletes a tree the environment wrote, including folders it made read-only (overlay work
/// dirs are left mode 000 by the kernel).
/// </summary>
internal static class TreeRemoval
{
    public static void Remove(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (UnauthorizedAccessException)
        {
            MakeWritable(path);
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            MakeWritable(path);
            Directory.Delete(path, recursive: true);
        }
    }

    private static void MakeWritable(string dir)
    {
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var sub in Directory.EnumerateDirectories(dir))
        {
            if (new DirectoryInfo(sub).LinkTarget is null)
            {
                MakeWritable(sub);
            }
        }
    }
}

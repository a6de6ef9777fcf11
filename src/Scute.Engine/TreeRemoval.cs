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
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            try
            {
                MakeWritable(path);
                Directory.Delete(path, recursive: true);
            }
            catch (Exception again) when ((again is UnauthorizedAccessException or IOException) && Runtime.NamespaceRemoval.TryRemove(path))
            {
                // Files of the environment's users (subordinate ids) went from inside a user namespace.
            }
        }
    }

    private static void MakeWritable(string dir)
    {
        try
        {
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (UnauthorizedAccessException)
        {
            return; // not ours: a subordinate id's folder
        }

        foreach (var sub in Directory.EnumerateDirectories(dir))
        {
            if (new DirectoryInfo(sub).LinkTarget is null)
            {
                MakeWritable(sub);
            }
        }
    }
}

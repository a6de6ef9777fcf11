namespace Scute.Runtime.Oci;

/// <summary>
/// The private folder under the user's runtime dir ($XDG_RUNTIME_DIR, else /tmp/scute-&lt;uid&gt;)
/// where each oci run gets its own state folder. Short on purpose: the runtime makes Unix
/// sockets under it, whose paths must fit 108 bytes.
/// </summary>
public static class OciRunFolder
{
    public static string Create(string containerId)
    {
        var baseDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } xdg && Directory.Exists(xdg)
            ? Path.Combine(xdg, "scute")
            : Path.Combine("/tmp", FormattableString.Invariant($"scute-{Core.Interop.Libc.geteuid()}"));
        var parent = Path.Combine(baseDir, "oci");
        foreach (var dir in new[] { baseDir, parent })
        {
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var info = new DirectoryInfo(dir);
            if (info.LinkTarget is not null || (info.UnixFileMode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                throw new ContainerSetupException($"{dir} is a link or writable by others; remove it (the oci backend keeps its run state there)");
            }
        }

        RemoveStale(parent);
        var folder = Path.Combine(parent, containerId);
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return folder;
    }

    /// <summary>
    /// A scute killed outright leaves its run's folder behind, empty (the tmpfs over it went with
    /// the namespaces): remove those whose scute process (the pid in the container id) is gone.
    /// </summary>
    private static void RemoveStale(string parent)
    {
        foreach (var dir in Directory.EnumerateDirectories(parent, "scute-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length >= 2 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                try
                {
                    Directory.Delete(dir); // only when empty
                }
                catch (IOException)
                {
                    // Not empty, or in use: not ours to judge.
                }
            }
        }
    }

    /// <summary>Removes the run's folder; inside the namespaces a tmpfs covered it, so on the host it is empty.</summary>
    public static void Remove(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next run to find; it holds nothing.
        }
    }
}

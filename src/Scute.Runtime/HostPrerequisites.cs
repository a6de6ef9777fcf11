namespace Scute.Runtime;

/// <summary>What the host offers the backends, checked without changing anything.</summary>
public static class HostPrerequisites
{
    public static IReadOnlyList<PrerequisiteCheck> ForNamespaceBackend()
    {
        var checks = new List<PrerequisiteCheck>
        {
            Exists("unshare", Namespace.NamespaceBackend.UnsharePath, "util-linux, for the oci backend, package installs and tree removal"),
            UserNamespaces(),
            new("overlayfs", FilesystemSupported("overlay"), "kernel overlay filesystem (fuse-overlayfs is the fallback)"),
            Exists("newuidmap", IdMapResolver.NewUidMap, "maps subordinate uid ranges (package uidmap); without it only your own id is mapped"),
            Exists("fuse-overlayfs", "/usr/bin/fuse-overlayfs", "fallback when kernel overlayfs is refused"),
            Exists("busybox (static)", "/bin/busybox", "source of builtin:busybox (package busybox-static)"),
        };
        return checks;
    }

    private static PrerequisiteCheck Exists(string name, string path, string detail) =>
        new(name, File.Exists(path), File.Exists(path) ? $"{path}: {detail}" : $"{path} missing: {detail}");

    private static PrerequisiteCheck UserNamespaces()
    {
        var max = ReadTrimmed("/proc/sys/user/max_user_namespaces");
        var clone = ReadTrimmed("/proc/sys/kernel/unprivileged_userns_clone");
        var ok = max is not null and not "0" && clone is null or "1";
        return new("user namespaces", ok, $"max_user_namespaces={max ?? "?"}" + (clone is null ? string.Empty : $", unprivileged_userns_clone={clone}"));
    }

    private static bool FilesystemSupported(string name)
    {
        var text = ReadTrimmed("/proc/filesystems") ?? string.Empty;
        return text.Split('\n').Any(l => l.Trim().EndsWith(name, StringComparison.Ordinal))
            || File.Exists($"/sys/module/{name}/initstate") || Directory.Exists($"/sys/module/{name}");
    }

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

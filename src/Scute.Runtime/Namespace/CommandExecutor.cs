using System.Runtime.InteropServices;
using System.Text;
using static Scute.Core.Interop.Libc;

using Scute.Runtime.Interop;

namespace Scute.Runtime.Namespace;

/// <summary>Finds the command inside the new root and replaces this process with it.</summary>
internal static class CommandExecutor
{
    public const int CannotExecute = 126;
    public const int NotFound = 127;

    /// <summary>Returns only on failure, with the exit code Podman would use.</summary>
    public static unsafe int Exec(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment)
    {
        var name = command[0];
        var path = Resolve(name, environment.TryGetValue("PATH", out var p) ? p : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        if (path is null)
        {
            Console.Error.WriteLine($"scute: {name}: command not found in the environment");
            return NotFound;
        }

        var argv = NativeStrings.Array(command);
        var envp = NativeStrings.Array(Variables(environment));
        // Whatever a stage or the caller left open stays behind: only stdin, stdout and stderr cross.
        Interop.Descriptors.CloseOnExecFrom(3);
        _ = execve(path, (byte**)argv, (byte**)envp);
        var errno = Errno;
        Console.Error.WriteLine($"scute: cannot execute {path}: {Describe(errno)}");
        return errno == ENOENT ? NotFound : CannotExecute;
    }

    private static string? Resolve(string name, string searchPath)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return IsFile(name) || FileKind.Of(name, follow: false) == FileKind.Symlink ? name : null;
        }

        foreach (var dir in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (IsFile(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>As File.Exists (anything but a folder, links followed), in one statx.</summary>
    private static bool IsFile(string path) => FileKind.Of(path, follow: true) is not (FileKind.Missing or FileKind.Directory);

    /// <summary>NAME=value, sorted by name; plain loops (LINQ's generic dispatch costs a lookup at first use in this new process).</summary>
    private static string[] Variables(IReadOnlyDictionary<string, string> environment)
    {
        var names = new string[environment.Count];
        var i = 0;
        foreach (var name in environment.Keys)
        {
            names[i++] = name;
        }

        Array.Sort(names, StringComparer.Ordinal);
        for (i = 0; i < names.Length; i++)
        {
            names[i] = names[i] + "=" + environment[names[i]];
        }

        return names;
    }
}

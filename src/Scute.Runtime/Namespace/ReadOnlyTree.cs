using System.Runtime.InteropServices;
using Scute.Runtime.Interop;
using static Scute.Core.Interop.Libc;
using static Scute.Runtime.Interop.SyscallCheck;

namespace Scute.Runtime.Namespace;

/// <summary>
/// Makes a mount and every mount below it read-only (DESIGN 2.4: everything under /sys and
/// /proc/sys). A plain MS_REMOUNT|MS_BIND|MS_RDONLY changes only the top mount: the cgroup,
/// debugfs or binfmt_misc mounts below it stayed writable.
/// </summary>
internal static class ReadOnlyTree
{
    private const ulong MountAttrRdonly = 0x1;
    private const ulong MountAttrNosuid = 0x2;
    private const ulong MountAttrNodev = 0x4;
    private const ulong MountAttrNoexec = 0x8;
    private const int AtFdcwd = -100;
    private const int AtRecursive = 0x8000;
    private const int ENOSYS = 38;

    [StructLayout(LayoutKind.Sequential)]
    private struct MountAttr
    {
        public ulong AttrSet;
        public ulong AttrClr;
        public ulong Propagation;
        public ulong UsernsFd;
    }

    /// <param name="noExec">Also forbid executing from it (kernel interfaces); read-only binds of the user's folders keep exec.</param>
    public static unsafe void Apply(string target, bool noExec = true)
    {
        var attr = new MountAttr { AttrSet = MountAttrRdonly | MountAttrNosuid | MountAttrNodev | (noExec ? MountAttrNoexec : 0) };
        var path = Marshal.StringToCoTaskMemUTF8(target);
        try
        {
            var rc = syscall(Syscalls.MountSetattr, AtFdcwd, path, AtRecursive, (nint)(&attr), sizeof(MountAttr));
            if (rc == 0)
            {
                return;
            }

            if (Errno != ENOSYS)
            {
                Check((int)rc, $"make {target} read-only");
            }
        }
        finally
        {
            Marshal.FreeCoTaskMem(path);
        }

        // Before Linux 5.12: each mount at or below the target, top first, keeping its locked flags.
        foreach (var (point, options) in MountsUnder(target))
        {
            var keptNoExec = noExec || options.Split(',').Contains("noexec");
            var flags = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | (keptNoExec ? MS_NOEXEC : 0) | AtimeFlags(options);
            Check(mount(null, point, null, flags, null), $"make {point} read-only");
        }
    }

    /// <summary>Mount points at or below <paramref name="target"/> with their per-mount options, from /proc/self/mountinfo.</summary>
    internal static IEnumerable<(string Point, string Options)> MountsUnder(string target) =>
        Under(ParseMountInfo(File.ReadAllLines("/proc/self/mountinfo")), target);

    internal static IEnumerable<(string Point, string Options)> Under(IEnumerable<(string Point, string Options)> mounts, string target) =>
        mounts.Where(m => m.Point == target || m.Point.StartsWith(target.TrimEnd('/') + "/", StringComparison.Ordinal));

    internal static IEnumerable<(string Point, string Options)> ParseMountInfo(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            // id parent major:minor root mount-point options [optional fields] - fstype source super-options
            var fields = line.Split(' ');
            if (fields.Length > 5)
            {
                yield return (Unescape(fields[4]), fields[5]);
            }
        }
    }

    private static ulong AtimeFlags(string options)
    {
        var set = options.Split(',');
        return (set.Contains("noatime") ? 0x400UL : 0) | (set.Contains("nodiratime") ? 0x800UL : 0)
            | (set.Contains("relatime") ? 0x200000UL : 0) | (set.Contains("strictatime") ? MS_STRICTATIME : 0);
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as \ooo.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var sb = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length
                && field.AsSpan(i + 1, 3).IndexOfAnyExcept("01234567") < 0)
            {
                sb.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                sb.Append(field[i]);
            }
        }

        return sb.ToString();
    }
}

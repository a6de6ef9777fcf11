using System.Globalization;
using Scute.Core.Interop;

namespace Scute.Engine.Lifecycle;

/// <summary>kill(2) and the /proc facts stop and the run registry need. Linux only.</summary>
internal static partial class ProcessSignals
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    public static bool Send(int pid, int signal) => pid > 0 && Libc.kill(pid, signal) == 0;

    /// <summary>Start time of a process in clock ticks since boot (field 22 of /proc/pid/stat), or null when it is gone.</summary>
    public static long? StartTime(int pid)
    {
        // Read on every exec (its own run record): field 22 found in place, the rest never made into strings.
        if (ReadProcFile($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat") is not { } text || text.LastIndexOf(')') is var close && close < 0)
        {
            return null;
        }

        var rest = text.AsSpan(close + 1);
        var field = 0;
        var zombie = false;
        foreach (var range in rest.Split(' '))
        {
            var value = rest[range];
            if (value.IsEmpty)
            {
                continue;
            }

            // As ReadStat: a zombie has finished, it counts as gone.
            if (field == 0)
            {
                zombie = value is "Z";
            }
            else if (field == 19)
            {
                return zombie ? null : long.Parse(value, CultureInfo.InvariantCulture);
            }

            field++;
        }

        return null;
    }

    /// <summary>Live children of <paramref name="parent"/>, read from /proc/*/stat.</summary>
    public static IReadOnlyList<int> Children(int parent)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ReadStat(pid) is { } stat
                && int.Parse(stat[1], CultureInfo.InvariantCulture) == parent)
            {
                children.Add(pid);
            }
        }

        return children;
    }

    /// <summary>The fields of /proc/pid/stat after "comm)": index 0 is the state, 1 the parent pid, 19 the start time.</summary>
    private static string[]? ReadStat(int pid)
    {
        if (ReadProcFile($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat") is not { } text)
        {
            return null;
        }

        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // A zombie has finished: it counts as gone.
        return fields.Length > 19 && fields[0] != "Z" ? fields : null;
    }

    /// <summary>
    /// A small /proc file in one read(2) (the kernel makes it whole at the first read), or null
    /// when it is gone or unreadable: exec reads its own stat on every run, without a FileStream.
    /// </summary>
    private static unsafe string? ReadProcFile(string path)
    {
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            Span<byte> buffer = stackalloc byte[4096];
            fixed (byte* p = buffer)
            {
                var n = Libc.read(fd, p, (nuint)buffer.Length);
                return n > 0 ? System.Text.Encoding.UTF8.GetString(buffer[..(int)n]) : null;
            }
        }
        finally
        {
            _ = Libc.close(fd);
        }
    }
}

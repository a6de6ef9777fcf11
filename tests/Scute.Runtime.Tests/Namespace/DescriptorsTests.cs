using System.Diagnostics;
using System.Runtime.InteropServices;
using Scute.Runtime.Interop;

namespace Scute.Runtime.Tests.Namespace;

/// <summary>Descriptors left open without close-on-exec never cross an execve once sealed.</summary>
public sealed partial class DescriptorsTests
{
    private const int FGetfd = 1;

    [Fact]
    public void Every_descriptor_from_three_up_is_marked_close_on_exec_except_those_kept()
    {
        var leaked = OpenInheritable();
        var kept = OpenInheritable();
        try
        {
            Descriptors.CloseOnExecFrom(3, kept);

            Assert.Equal(1, fcntl(leaked, FGetfd, 0) & 1);
            Assert.Equal(0, fcntl(kept, FGetfd, 0) & 1);
            var seen = FdsOfAChild();
            Assert.DoesNotContain(leaked, seen);
            Assert.Contains(kept, seen);
        }
        finally
        {
            _ = close(leaked);
            _ = close(kept);
        }
    }

    [Fact]
    public void Stdio_is_never_touched()
    {
        Descriptors.CloseOnExecFrom(3);

        for (var fd = 0; fd <= 2; fd++)
        {
            Assert.Equal(0, fcntl(fd, FGetfd, 0) & 1);
        }
    }

    private static int OpenInheritable()
    {
        var fd = open("/dev/null", 0, 0); // no O_CLOEXEC, as a careless caller leaves it
        Assert.True(fd > 2);
        return fd;
    }

    private static List<int> FdsOfAChild()
    {
        var psi = new ProcessStartInfo("/bin/sh", ["-c", "ls /proc/$$/fd"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int close(int fd);

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int fcntl(int fd, int cmd, int arg);
}

using System.Runtime.InteropServices;
using static Scute.Core.Interop.Libc;
using static Scute.Runtime.Interop.SyscallCheck;

namespace Scute.Runtime.Namespace;

/// <summary>Brings up "lo" in a new network namespace, so an isolated environment still has 127.0.0.1.</summary>
internal static unsafe partial class Loopback
{
    private const int AF_INET = 2;
    private const int SOCK_DGRAM = 2;
    private const uint SIOCGIFFLAGS = 0x8913;
    private const uint SIOCSIFFLAGS = 0x8914;
    private const short IFF_UP = 0x1;
    private const short IFF_RUNNING = 0x40;

    public static void Up()
    {
        var fd = socket(AF_INET, SOCK_DGRAM, 0);
        Check(fd, "open a socket to configure lo");
        try
        {
            // struct ifreq: char ifr_name[16]; then a union whose first member here is short ifr_flags.
            var ifreq = stackalloc byte[40];
            new Span<byte>(ifreq, 40).Clear();
            "lo"u8.CopyTo(new Span<byte>(ifreq, 16));
            Check(ioctl(fd, SIOCGIFFLAGS, ifreq), "read the flags of lo");
            *(short*)(ifreq + 16) |= IFF_UP | IFF_RUNNING;
            Check(ioctl(fd, SIOCSIFFLAGS, ifreq), "bring lo up");
        }
        finally
        {
            _ = close(fd);
        }
    }
}

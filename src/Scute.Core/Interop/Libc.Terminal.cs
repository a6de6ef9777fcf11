using System.Runtime.InteropServices;

namespace Scute.Core.Interop;

/// <summary>Pseudo-terminals, termios, sockets and descriptor passing (SCM_RIGHTS) for interactive sessions.</summary>
internal static unsafe partial class Libc
{
    public const int AF_UNIX = 1;
    public const int SOCK_STREAM = 1;
    public const int SOL_SOCKET = 1;
    public const int SCM_RIGHTS = 1;
    public const uint TIOCGWINSZ = 0x5413;
    public const uint TIOCSWINSZ = 0x5414;
    public const uint TIOCSCTTY = 0x540E;
    public const uint TIOCGPTN = 0x80045430;
    public const uint TIOCSPTLCK = 0x40045431;
    public const int TCSANOW = 0;

    /// <summary>struct termios is 60 bytes on Linux; a larger buffer keeps us safe across libcs.</summary>
    public const int TermiosSize = 128;

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct cmsghdr followed by one int: the SCM_RIGHTS payload.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FdControl
    {
        public nuint Length;
        public int Level;
        public int Type;
        public int Fd;
        public int Padding;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socketpair(int domain, int type, int protocol, Span<int> fds);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint sendmsg(int fd, MsgHdr* msg, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recvmsg(int fd, MsgHdr* msg, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, void* arg);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int isatty(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int tcgetattr(int fd, byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int tcsetattr(int fd, int action, byte* termios);

    [LibraryImport("libc")]
    public static partial void cfmakeraw(byte* termios);
}

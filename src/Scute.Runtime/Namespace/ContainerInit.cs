using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Scute.Runtime.Interop;
using static Scute.Core.Interop.Libc;
using static Scute.Runtime.Interop.SyscallCheck;

namespace Scute.Runtime.Namespace;

/// <summary>
/// <c>scute __init SPEC-FD</c>: the only .NET start inside the namespaces. The native stage
/// (nsstage.c) has already made them, before this runtime existed, and left this process as the
/// child of a small pid 1 that forwards signals, reaps orphans and watches scute. Here, in one
/// process: build the root and pivot into it (the binary is mapped already, so nothing needs to
/// start from the old root), then the terminal, the target identity, and the command's execve.
/// </summary>
public static class ContainerInit
{
    public const int SetupFailed = 125;

    private const int TtyGroup = 5;

    public static int Run(string specFd)
    {
        RunSpec spec;
        try
        {
            RequireNativeStage();
            spec = ReadSpec(specFd);
            // Nothing inherited crosses further but the terminal's socket.
            Descriptors.CloseOnExecFrom(3, spec.ConsoleSocketFd ?? -1);
            var groupsMapped = spec.IdMap.SubGids is not null;
            ContainerMounts.MountRoot(spec);
            ContainerMounts.MountSystem(spec, groupsMapped);
            ContainerAccountFiles.MakeHome(spec);
            ContainerMounts.MountTmpfs(spec);
            ContainerMounts.MountBinds(spec);
            ContainerAccountFiles.LayFiles(spec);
            if (sethostname(spec.Hostname, (nuint)System.Text.Encoding.UTF8.GetByteCount(spec.Hostname)) != 0)
            {
                throw new ContainerSetupException($"set hostname: {Describe(Errno)}");
            }

            ContainerMounts.PivotInto(spec);
            if (spec.NetworkIsolation)
            {
                Loopback.Up();
            }
        }
        catch (Exception e) when (e is ContainerSetupException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"scute: cannot start the environment: {e.Message}");
            return SetupFailed;
        }

        try
        {
            Become(spec);
        }
        catch (Exception e) when (e is ContainerSetupException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"scute: cannot start the command: {e.Message}");
            return SetupFailed;
        }

        return CommandExecutor.Exec(spec.Command, spec.Environment);
    }

    /// <summary>Attaches the terminal, then drops to the target identity with exactly the granted capabilities.</summary>
    private static void Become(RunSpec spec)
    {
        if (chdir(spec.WorkingDir) != 0)
        {
            throw new ContainerSetupException($"working directory {spec.WorkingDir}: {Describe(Errno)}");
        }

        var groupsMapped = spec.IdMap.SubGids is not null;
        if (spec.ConsoleSocketFd is { } console)
        {
            ContainerTerminal.Attach(console, spec.Uid, groupsMapped ? TtyGroup : spec.Gid);
        }
        else
        {
            // A new session with no controlling terminal: the caller's terminal (TIOCSTI
            // injection, CVE-2017-5226) is out of reach even through /dev/tty.
            Check(setsid(), "start a new session");
        }

        _ = umask(0x12);
        // Last before the identity changes: the limit binds this process's own allocations too.
        ResourceLimits.Apply(0, spec.Limits); // 0: this process
        Credentials.Apply(spec, groupsMapped);
    }

    /// <summary>
    /// Without the native stage this process would be in no namespace at all: refuse. A JIT run
    /// (dotnet scute.dll) has no stage linked in; a started scute has one that did not run.
    /// </summary>
    private static void RequireNativeStage()
    {
        bool made;
        try
        {
            made = StageLibc.NamespaceStageCommand() == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new ContainerSetupException("this scute has no namespace stage linked in (use the published binary)");
        }

        if (!made)
        {
            throw new ContainerSetupException($"{HiddenVerbs.Init} runs only as the namespace stage that scute exec starts");
        }
    }

    /// <summary>The spec arrives in a memfd the backend filled (nothing written to disk on exec).</summary>
    private static RunSpec ReadSpec(string specFd)
    {
        if (!int.TryParse(specFd, NumberStyles.None, CultureInfo.InvariantCulture, out var fd) || fd < 3)
        {
            throw new ContainerSetupException("no run specification descriptor");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var bytes = new byte[RandomAccess.GetLength(handle)];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        try
        {
            return RunSpecCodec.Deserialize(read == bytes.Length ? bytes : bytes[..read]);
        }
        catch (InvalidDataException e)
        {
            throw new ContainerSetupException(e.Message, e);
        }
    }
}

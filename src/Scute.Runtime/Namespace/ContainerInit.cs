using System.Text.Json;
using static Scute.Runtime.Interop.Libc;

namespace Scute.Runtime.Namespace;

/// <summary>
/// The second stage of the namespace backend: runs as root of the new user namespace, inside
/// the new mount, pid, ipc and uts namespaces, builds the root, drops to the target identity
/// and execs the command.
/// </summary>
public static class ContainerInit
{
    public const int SetupFailed = 125;
    private const int TtyGroup = 5;

    public static int Run(string specPath)
    {
        RunSpec spec;
        try
        {
            using (var stream = File.OpenRead(specPath))
            {
                spec = JsonSerializer.Deserialize(stream, RuntimeJsonContext.Default.RunSpec)
                    ?? throw new ContainerSetupException("empty run specification");
            }

            File.Delete(specPath);
            var groupsMapped = spec.IdMap.SubGids is not null;
            ContainerMounts.MountRoot(spec);
            ContainerMounts.MountSystem(spec, groupsMapped);
            ContainerMounts.MountBinds(spec);
            if (sethostname(spec.Hostname, (nuint)System.Text.Encoding.UTF8.GetByteCount(spec.Hostname)) != 0)
            {
                throw new ContainerSetupException($"set hostname: {Describe(Errno)}");
            }

            ContainerMounts.PivotInto(spec);
            if (chdir(spec.WorkingDir) != 0)
            {
                throw new ContainerSetupException($"working directory {spec.WorkingDir}: {Describe(Errno)}");
            }

            if (spec.ConsoleSocketFd is { } console)
            {
                ContainerTerminal.Attach(console, spec.Uid, groupsMapped ? TtyGroup : spec.Gid);
            }

            _ = umask(0x12);
            Credentials.Apply(spec, groupsMapped);
        }
        catch (Exception e) when (e is ContainerSetupException or IOException or UnauthorizedAccessException or JsonException)
        {
            Console.Error.WriteLine($"scute: cannot start the environment: {e.Message}");
            return SetupFailed;
        }

        return CommandExecutor.Exec(spec.Command, spec.Environment);
    }
}

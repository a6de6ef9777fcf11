using System.Text.Json;
using static Scute.Core.Interop.Libc;
using static Scute.Runtime.Interop.SyscallCheck;

namespace Scute.Runtime.Namespace;

/// <summary>
/// The last stage, inside the finished root: attaches the terminal, drops to the target
/// identity with exactly the granted capabilities and no_new_privs, and execs the command.
/// </summary>
public static class CommandStage
{
    private const int TtyGroup = 5;

    /// <param name="goRead">Start gate ends inherited from the init stage.</param>
    public static int Run(int goRead, int readyWrite)
    {
        if (!StartGate.ReadyThenWait(goRead, readyWrite))
        {
            return ContainerInit.SetupFailed; // the init stage failed and said why
        }

        RunSpec spec;
        try
        {
            var json = Environment.GetEnvironmentVariable(ContainerInit.SpecVariable)
                ?? throw new ContainerSetupException("no command specification");
            spec = JsonSerializer.Deserialize(json, RuntimeJsonContext.Default.RunSpec)
                ?? throw new ContainerSetupException("empty command specification");
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
                Check(Core.Interop.Libc.setsid(), "start a new session");
            }

            _ = umask(0x12);
            Credentials.Apply(spec, groupsMapped);
        }
        catch (Exception e) when (e is ContainerSetupException or IOException or UnauthorizedAccessException or JsonException)
        {
            Console.Error.WriteLine($"scute: cannot start the command: {e.Message}");
            return ContainerInit.SetupFailed;
        }

        return CommandExecutor.Exec(spec.Command, spec.Environment);
    }
}

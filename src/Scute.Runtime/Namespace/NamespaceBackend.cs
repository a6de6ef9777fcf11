using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Scute.Runtime.Interop;

namespace Scute.Runtime.Namespace;

/// <summary>
/// Runs a command in new user, mount, pid, ipc, uts (and optionally net) namespaces.
/// Scute's native stage (nsstage.c, run before the .NET runtime of `scute __init`) creates them
/// and writes the id maps (through newuidmap for subordinate ranges); the same process then
/// builds the root and starts the command (<see cref="ContainerInit"/>).
/// </summary>
public sealed class NamespaceBackend : IRuntimeBackend
{
    public const string UnsharePath = "/usr/bin/unshare";

    private readonly IReadOnlyList<string> initCommand;

    /// <param name="initCommand">How to start Scute's stage: the scute binary and its hidden verb.</param>
    public NamespaceBackend(IReadOnlyList<string> initCommand) => this.initCommand = initCommand;

    public string Name => "namespace";

    public IReadOnlyList<PrerequisiteCheck> CheckPrerequisites() => HostPrerequisites.ForNamespaceBackend();

    public int Run(RunSpec spec, Action<int>? started = null) => Run(spec, started, null, null);

    /// <summary>
    /// Runs a build step (a package manager) with its stdout and stderr copied into the given
    /// streams instead of inherited, so its output can be logged and parsed. No terminal.
    /// </summary>
    public int RunCapturing(RunSpec spec, Stream stdout, Stream stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        return Run(spec with { Terminal = false }, null, stdout, stderr);
    }

    private int Run(RunSpec spec, Action<int>? started, Stream? stdout, Stream? stderr)
    {
        var console = spec.Terminal && Core.Interop.Libc.isatty(0) == 1 ? ConsoleSocket.CreatePair() : ((int Parent, int Child)?)null;
        if (console is { } pair)
        {
            spec = spec with { ConsoleSocketFd = pair.Child };
        }

        var death = DeathPipe.Create();
        spec = spec with { DeathPipeFd = death.ReadEnd };
        var specFd = SpecDescriptor(spec);
        try
        {
            // Without a terminal of its own the command is in another session: the stage's pid 1
            // passes the terminal's SIGINT and SIGQUIT on, so Scute only survives them.
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
            using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, c => c.Cancel = true);
            // Only the stage takes the read end of the death pipe, the spec and the console
            // socket's child end; the write end stays here alone. Redirected streams are fds 1
            // and 2 of the command: nothing above 2 crosses either way.
            int[] commandFds = console is { } shared ? [specFd, shared.Child] : [specFd];
            var stage = StageVariable.Format(spec, death.ReadEnd, commandFds, HolderLinger.Seconds(System.Environment.GetEnvironmentVariable(HolderLinger.Variable)));
            if (stdout is null && stderr is null)
            {
                // exec and enter; the Process class below only for a build step's captured output.
                return RunSpawned(stage, [death.ReadEnd, .. commandFds], specFd, console, started);
            }

            var psi = new ProcessStartInfo(initCommand[0])
            {
                UseShellExecute = false,
                RedirectStandardOutput = stdout is not null,
                RedirectStandardError = stderr is not null,
            };
            foreach (var arg in initCommand.Skip(1))
            {
                psi.ArgumentList.Add(arg);
            }

            psi.ArgumentList.Add(specFd.ToString(CultureInfo.InvariantCulture));
            psi.Environment[StageVariable.Name] = stage;
            var process = StageProcess.Start(psi, [death.ReadEnd, .. commandFds]);
            using (process)
            {
                started?.Invoke(process.Id);
                var copies = new List<Task>();
                if (stdout is not null)
                {
                    copies.Add(process.StandardOutput.BaseStream.CopyToAsync(stdout));
                }

                if (stderr is not null)
                {
                    copies.Add(process.StandardError.BaseStream.CopyToAsync(stderr));
                }

                // A captured run (a build step) never has a terminal: RunCapturing turns it off.
                process.WaitForExit();
                Task.WaitAll([.. copies]);
                return process.ExitCode;
            }
        }
        finally
        {
            _ = Core.Interop.Libc.close(death.WriteEnd);
        }
    }

    /// <summary>The usual run (exec, enter): the stage started and waited for without the Process class.</summary>
    private int RunSpawned(string stage, int[] handOver, int specFd, (int Parent, int Child)? console, Action<int>? started)
    {
        int pid;
        try
        {
            List<string> environment = [$"{StageVariable.Name}={stage}"];
            foreach (System.Collections.DictionaryEntry variable in System.Environment.GetEnvironmentVariables())
            {
                if ((string)variable.Key != StageVariable.Name)
                {
                    environment.Add($"{variable.Key}={variable.Value}");
                }
            }

            pid = StageSpawn.Start([.. initCommand, specFd.ToString(CultureInfo.InvariantCulture)], environment, handOver);
        }
        finally
        {
            foreach (var fd in handOver)
            {
                _ = Core.Interop.Libc.close(fd);
            }
        }

        started?.Invoke(pid);
        if (console is not { } c)
        {
            return StageSpawn.Wait(pid);
        }

        var master = ConsoleSocket.ReceiveFd(c.Parent);
        _ = Core.Interop.Libc.close(c.Parent);
        if (master < 0)
        {
            return StageSpawn.Wait(pid);
        }

        using var relay = new TerminalRelay(master);
        var code = StageSpawn.Wait(pid);
        relay.Drain();
        return code;
    }

    /// <summary>The spec in an anonymous memory file: nothing durable is written on exec.</summary>
    private static int SpecDescriptor(RunSpec spec)
    {
        var fd = Core.Interop.Libc.memfd_create("scute-run-spec", Core.Interop.Libc.MFD_CLOEXEC);
        SyscallCheck.Check(fd, "create the run specification");
        var bytes = RunSpecCodec.Serialize(spec);
        using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: false);
        RandomAccess.Write(handle, bytes, 0);
        return fd;
    }

    /// <summary>util-linux unshare's arguments for the same namespaces and maps (InstallRun's ownership reclaim).</summary>
    public static IReadOnlyList<string> UnshareArguments(RunSpec spec)
    {
        var args = new List<string> { "--mount", "--pid", "--ipc", "--uts", "--fork", "--kill-child" };
        if (spec.NetworkIsolation)
        {
            args.Add("--net");
        }

        var map = spec.IdMap;
        if (map.SubUids is not null && map.SubGids is not null)
        {
            args.Add(Invariant($"--map-users={map.SubUids.Start},1,{map.SubUids.Count}"));
            args.Add(Invariant($"--map-groups={map.SubGids.Start},1,{map.SubGids.Count}"));
            args.Add("--map-root-user");
        }
        else
        {
            args.Add(Invariant($"--map-user={map.InsideUserForHost}"));
            args.Add(Invariant($"--map-group={map.InsideGroupForHost}"));
            // The init stage is then not uid 0 inside: its namespace capabilities must survive the exec.
            args.Add("--keep-caps");
        }

        return args;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

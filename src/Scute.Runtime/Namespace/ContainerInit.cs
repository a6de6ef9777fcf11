using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Scute.Runtime.Interop;
using static Scute.Core.Interop.Libc;

namespace Scute.Runtime.Namespace;

/// <summary>
/// The init stage of the namespace backend: pid 1 of the new pid namespace and root of the new
/// user namespace only. It starts the command stage (<see cref="CommandStage"/>) first, held at
/// a gate, because the scute binary and its libraries are not reachable inside the new root;
/// then builds the root and pivots (which moves the waiting stage's root too), opens the gate,
/// and stays as the command's parent: forwarding signals, reaping orphans and returning its
/// status (128+N when a signal ended it). So the command is never pid 1.
/// </summary>
public static class ContainerInit
{
    public const int SetupFailed = 125;
    public const string SpecVariable = "SCUTE_COMMAND_SPEC";
    public const string CommandVerb = "__command";

    private static readonly (PosixSignal Signal, int Number)[] Forwarded =
        [(PosixSignal.SIGTERM, 15), (PosixSignal.SIGHUP, 1), ((PosixSignal)10, 10), ((PosixSignal)12, 12)];

    public static int Run(string specPath)
    {
        RunSpec spec;
        Process child;
        StartGate gate;
        try
        {
            using (var stream = File.OpenRead(specPath))
            {
                spec = JsonSerializer.Deserialize(stream, RuntimeJsonContext.Default.RunSpec)
                    ?? throw new ContainerSetupException("empty run specification");
            }

            File.Delete(specPath);
            // Nothing inherited crosses further but the terminal's socket, which the command stage takes.
            Descriptors.CloseOnExecFrom(3, spec.ConsoleSocketFd ?? -1);
            if (spec.DeathPipeFd is { } death)
            {
                DeathPipe.Watch(death);
            }

            (child, gate) = StartCommandStage(spec);
            if (!gate.WaitUntilReady())
            {
                child.WaitForExit();
                throw new ContainerSetupException("the command stage did not start");
            }
        }
        catch (Exception e) when (e is ContainerSetupException or IOException or UnauthorizedAccessException or JsonException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"scute: cannot start the environment: {e.Message}");
            return SetupFailed;
        }

        try
        {
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

            ResourceLimits.Apply(child.Id, spec.Limits);
        }
        catch (Exception e) when (e is ContainerSetupException or IOException or UnauthorizedAccessException)
        {
            gate.Abort();
            child.WaitForExit();
            Console.Error.WriteLine($"scute: cannot start the environment: {e.Message}");
            return SetupFailed;
        }

        gate.Open();
        return Supervise(child);
    }

    private static (Process Child, StartGate Gate) StartCommandStage(RunSpec spec)
    {
        var gate = StartGate.Create();
        var argv = SelfExecutable.Argv(CommandVerb);
        var psi = new ProcessStartInfo(argv[0]) { UseShellExecute = false };
        foreach (var arg in argv.Skip(1))
        {
            psi.ArgumentList.Add(arg);
        }

        psi.ArgumentList.Add(gate.GoRead.ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add(gate.ReadyWrite.ToString(CultureInfo.InvariantCulture));
        psi.Environment.Clear();
        // The generated files' text is the init stage's alone (and could outgrow one variable).
        psi.Environment[SpecVariable] = JsonSerializer.Serialize(spec with { RootFiles = [] }, RuntimeJsonContext.Default.RunSpec);
        var child = Process.Start(psi) ?? throw new ContainerSetupException("cannot start the command stage");
        if (spec.ConsoleSocketFd is { } console)
        {
            _ = close(console);
        }

        return (child, gate);
    }

    private static int Supervise(Process child)
    {
        var registrations = Forwarded.Select(f => PosixSignalRegistration.Create(f.Signal, c =>
        {
            c.Cancel = true;
            _ = kill(child.Id, f.Number);
        })).ToList();
        // The caller's terminal signals its foreground group (scute, unshare and this stage), but
        // the command runs in a session of its own: pass them on to its process group, as the
        // terminal would have. With its own pty, the command gets them from that pty instead.
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            SignalGroup(child.Id, 2);
        }));
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGQUIT, c =>
        {
            c.Cancel = true;
            SignalGroup(child.Id, 3);
        }));
        using var reaper = new OrphanReaper(child.Id);
        child.WaitForExit();
        return child.ExitCode;
    }

    /// <summary>The command's group once it has its own session; the command alone before that.</summary>
    private static void SignalGroup(int pid, int signal)
    {
        if (kill(-pid, signal) != 0)
        {
            _ = kill(pid, signal);
        }
    }
}

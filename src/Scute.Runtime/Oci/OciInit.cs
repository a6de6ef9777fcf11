using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Scute.Runtime.Interop;
using Scute.Runtime.Namespace;
using static Scute.Core.Interop.Libc;
using static Scute.Runtime.Interop.SyscallCheck;

namespace Scute.Runtime.Oci;

/// <summary>
/// The oci backend's stages inside the outer user, mount and pid namespaces: pid 1 (see
/// <see cref="RunAsPidOne"/>) and, below it, the stage that mounts
/// the environment's overlay, stages /dev and the checked mount sources, writes config.json and
/// runs the runtime in the foreground (without a terminal in a session of its own, so no
/// controlling terminal reaches the command). It forwards signals to the runtime, which forwards them to the command, and
/// deletes the container afterwards. Its own exit ends every process of the namespaces, and the
/// tmpfs over the state folder with them.
/// </summary>
public static class OciInit
{
    public const string Verb = "__oci-init";

    /// <summary>The stage below pid 1 that runs the runtime (see <see cref="RunAsPidOne"/>).</summary>
    public const string RunVerb = "__oci-run";

    private const int PrSetChildSubreaper = 36;
    private const string SetsidPath = "/usr/bin/setsid";

    private static readonly (PosixSignal Signal, int Number)[] Forwarded =
    [
        (PosixSignal.SIGTERM, 15), (PosixSignal.SIGHUP, 1), (PosixSignal.SIGINT, 2), (PosixSignal.SIGQUIT, 3),
        ((PosixSignal)10, 10), ((PosixSignal)12, 12),
    ];

    /// <summary>
    /// Pid 1 of the outer pid namespace. .NET reaps every child of a pid 1 (since .NET 7), which
    /// would take the command's status from whoever waits for it; so this stage only watches the
    /// scute process (its exit ends every process of the namespace), passes signals on and
    /// returns the status of the stage below it, which is a child subreaper and adopts the command.
    /// </summary>
    public static int RunAsPidOne(string requestPath)
    {
        Process stage;
        try
        {
            int? death;
            using (var stream = File.OpenRead(requestPath))
            {
                death = (JsonSerializer.Deserialize(stream, OciRequestJsonContext.Default.OciRunRequest)
                    ?? throw new ContainerSetupException("empty run request")).Spec.DeathPipeFd;
            }

            Descriptors.CloseOnExecFrom(3);
            if (death is { } fd)
            {
                DeathPipe.Watch(fd);
            }

            var argv = SelfExecutable.Argv(RunVerb);
            var psi = new ProcessStartInfo(argv[0]) { UseShellExecute = false };
            foreach (var a in argv.Skip(1).Append(requestPath))
            {
                psi.ArgumentList.Add(a);
            }

            stage = Process.Start(psi) ?? throw new ContainerSetupException("cannot start the oci stage");
        }
        catch (Exception e) when (e is ContainerSetupException or IOException or UnauthorizedAccessException or JsonException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"scute: cannot start the environment: {e.Message}");
            return ContainerInit.SetupFailed;
        }

        using (stage)
        using (Forward(stage.Id, toGroup: false))
        {
            stage.WaitForExit();
            return stage.ExitCode;
        }
    }

    public static int Run(string requestPath)
    {
        OciRunRequest request;
        OciLayout layout;
        try
        {
            // The command is adopted here when the runtime that started it leaves.
            Check(prctl(PrSetChildSubreaper, 1, 0, 0, 0), "become the command's subreaper");
            using (var stream = File.OpenRead(requestPath))
            {
                request = JsonSerializer.Deserialize(stream, OciRequestJsonContext.Default.OciRunRequest)
                    ?? throw new ContainerSetupException("empty run request");
            }

            File.Delete(requestPath);
            var spec = request.Spec;
            Descriptors.CloseOnExecFrom(3);
            layout = new OciLayout(request.StateDir);
            Prepare(request, layout);
        }
        catch (Exception e) when (e is ContainerSetupException or IOException or UnauthorizedAccessException or JsonException)
        {
            Console.Error.WriteLine($"scute: cannot start the environment: {e.Message}");
            return ContainerInit.SetupFailed;
        }

        try
        {
            return RunRuntime(request, layout);
        }
        finally
        {
            Delete(request, layout);
        }
    }

    private static void Prepare(OciRunRequest request, OciLayout layout)
    {
        var spec = request.Spec;
        ContainerMounts.MountRoot(spec);
        Check(mount("tmpfs", request.StateDir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=700"), "mount the run's state folder");
        foreach (var dir in new[] { layout.RuntimeRoot, layout.Bundle, layout.StageRoot })
        {
            Directory.CreateDirectory(dir);
        }

        // The account's home and files as the namespace backend lays them, before runc binds the
        // root (recursively, so they come along); the home is owned by the outer ids the user's
        // inside ids map to.
        var owner = spec with
        {
            Uid = (int)OciIdMappings.Outer(OciIdMappings.Container(spec.IdMap.InsideUserForHost, request.OuterUids, "uid"), spec.Uid),
            Gid = (int)OciIdMappings.Outer(OciIdMappings.Container(spec.IdMap.InsideGroupForHost, request.OuterGids, "gid"), spec.Gid),
        };
        ContainerAccountFiles.MakeHome(owner);
        ContainerAccountFiles.LayFiles(spec, request.StateDir);
        ContainerMounts.MountDev(spec, layout.StageRoot, spec.IdMap.SubGids is not null);
        for (var i = 0; i < spec.Mounts.Count; i++)
        {
            StageBind(spec.Mounts[i], layout.Bind(i));
        }

        var config = OciConfigBuilder.Build(spec, layout, request.OuterUids, request.OuterGids, request.Terminal);
        File.WriteAllText(layout.ConfigPath, JsonSerializer.Serialize(config, OciJsonContext.Default.OciConfig));
    }

    /// <summary>As the namespace backend binds: through an O_PATH descriptor opened now, never following a link.</summary>
    private static void StageBind(BindMount bind, string staged)
    {
        var fd = NoSymlinkOpen.OpenPath(bind.Source);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
            if (Directory.Exists($"/proc/self/fd/{fd}"))
            {
                Directory.CreateDirectory(staged);
            }
            else
            {
                using (File.Create(staged))
                {
                }
            }

            Check(mount($"/proc/self/fd/{fd}", staged, null, MS_BIND | MS_REC, null), $"bind {bind.Source} for {bind.Target}");
        }
        finally
        {
            _ = close(fd);
        }
    }

    /// <summary>
    /// Without a terminal: <c>create</c>, then <c>start</c>. The runtime is the command's parent
    /// until <c>create</c> returns; by <c>start</c> this stage (pid 1 of the pid namespace) has
    /// adopted it, waits for it and has its status, as the namespace backend's init stage does.
    /// The command inherits the caller's stdin, stdout and stderr themselves (a foreground
    /// <c>run</c> would put pipes between), in a session of its own (setsid), so no controlling
    /// terminal reaches it. With a terminal: a foreground <c>run</c>, which makes the command's
    /// pty and relays it (the runtime accepts a console socket only detached).
    /// </summary>
    private static int RunRuntime(OciRunRequest request, OciLayout layout)
    {
        if (request.Terminal)
        {
            using var run = Start(request.Runtime, [.. Global(layout), "run", "--bundle", layout.Bundle, request.ContainerId], newSession: false);
            using var forwarding = Forward(run.Id, toGroup: false);
            run.WaitForExit();
            return Status(run.ExitCode, layout);
        }

        using (var create = Start(request.Runtime, [.. Global(layout), "create", "--bundle", layout.Bundle, "--pid-file", layout.PidFile, request.ContainerId], newSession: true))
        {
            create.WaitForExit();
            if (create.ExitCode != 0 || !File.Exists(layout.PidFile))
            {
                return Failed(create.ExitCode, layout);
            }
        }

        var pid = int.Parse(File.ReadAllText(layout.PidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using var reaper = new OrphanReaper(pid);
        using (var forwarding = Forward(pid, toGroup: true))
        {
            using (var start = Start(request.Runtime, [.. Global(layout), "start", request.ContainerId], newSession: false))
            {
                start.WaitForExit();
                if (start.ExitCode != 0)
                {
                    _ = kill(pid, 9);
                    _ = Wait(pid);
                    return Failed(start.ExitCode, layout);
                }
            }

            return Wait(pid);
        }
    }

    private static Process Start(string runtime, IReadOnlyList<string> args, bool newSession)
    {
        var useSetsid = newSession && File.Exists(SetsidPath);
        var psi = new ProcessStartInfo(useSetsid ? SetsidPath : runtime) { UseShellExecute = false };
        if (useSetsid)
        {
            psi.ArgumentList.Add(runtime);
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi) ?? throw new ContainerSetupException($"cannot start {runtime}");
    }

    /// <summary>Passes the signals on; SIGINT and SIGQUIT to the command's group when it leads one, as a terminal would.</summary>
    private static SignalForwarding Forward(int pid, bool toGroup) => new(Forwarded.Select(f => PosixSignalRegistration.Create(f.Signal, c =>
    {
        c.Cancel = true;
        if (!toGroup || f.Number is not (2 or 3) || kill(-pid, f.Number) != 0)
        {
            _ = kill(pid, f.Number);
        }
    })).ToList());

    private sealed class SignalForwarding(List<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose() => registrations.ForEach(r => r.Dispose());
    }

    /// <summary>The command's status: its exit code, or 128+N when signal N ended it.</summary>
    private static unsafe int Wait(int pid)
    {
        int status;
        int rc;
        do
        {
            rc = waitpid(pid, &status, 0);
        }
        while (rc < 0 && Errno == 4 /* EINTR */);

        if (rc < 0)
        {
            throw new ContainerSetupException($"wait for the command: {Describe(Errno)}");
        }

        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    /// <summary>A foreground run's status is the command's unless the runtime logged that it failed.</summary>
    private static int Status(int status, OciLayout layout) =>
        OciRuntimeLog.Errors(layout.Log).Count == 0 ? status : Failed(status, layout);

    /// <summary>
    /// The runtime could not start the command and said why on stderr (one line): 127 or 126 when
    /// the command could not be found or executed (as a shell and the namespace backend say),
    /// else 125.
    /// </summary>
    private static int Failed(int status, OciLayout layout)
    {
        var errors = OciRuntimeLog.Errors(layout.Log);
        if (errors.Count == 0)
        {
            Console.Error.WriteLine($"scute: cannot start the environment: the OCI runtime failed with status {status}");
            return ContainerInit.SetupFailed;
        }

        return OciRuntimeLog.ExitCodeFor(errors);
    }

    /// <summary>The runtime's global options: state in the run's folder, its log as JSON lines.</summary>
    private static string[] Global(OciLayout layout) => ["--root", layout.RuntimeRoot, "--log", layout.Log, "--log-format", "json"];

    private static void Delete(OciRunRequest request, OciLayout layout)
    {
        var psi = new ProcessStartInfo(request.Runtime) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in Global(layout).Concat(["delete", "--force", request.ContainerId]))
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            using var p = Process.Start(psi);
            p?.StandardOutput.ReadToEnd();
            p?.StandardError.ReadToEnd();
            p?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The namespaces end with this stage; nothing of the container outlives them.
        }
    }
}

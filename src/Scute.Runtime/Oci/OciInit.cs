using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Scute.Runtime.Interop;
using Scute.Runtime.Namespace;
using static Scute.Runtime.Interop.Libc;

namespace Scute.Runtime.Oci;

/// <summary>
/// The oci backend's stage inside the outer user, mount and pid namespaces (pid 1 there): mounts
/// the environment's overlay, stages /dev and the checked mount sources, writes config.json and
/// runs the runtime in the foreground, in a session of its own (no controlling terminal reaches
/// the command). It forwards signals to the runtime, which forwards them to the command, and
/// deletes the container afterwards. Its own exit ends every process of the namespaces, and the
/// tmpfs over the state folder with them.
/// </summary>
public static class OciInit
{
    public const string Verb = "__oci-init";
    private const string SetsidPath = "/usr/bin/setsid";

    private static readonly (PosixSignal Signal, int Number)[] Forwarded =
    [
        (PosixSignal.SIGTERM, 15), (PosixSignal.SIGHUP, 1), (PosixSignal.SIGINT, 2), (PosixSignal.SIGQUIT, 3),
        ((PosixSignal)10, 10), ((PosixSignal)12, 12),
    ];

    public static int Run(string requestPath)
    {
        OciRunRequest request;
        OciLayout layout;
        try
        {
            using (var stream = File.OpenRead(requestPath))
            {
                request = JsonSerializer.Deserialize(stream, OciRequestJsonContext.Default.OciRunRequest)
                    ?? throw new ContainerSetupException("empty run request");
            }

            File.Delete(requestPath);
            var spec = request.Spec;
            Descriptors.CloseOnExecFrom(3);
            if (spec.DeathPipeFd is { } death)
            {
                DeathPipe.Watch(death);
            }

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

        ContainerMounts.MountDev(spec, layout.StageRoot, spec.IdMap.SubGids is not null, request.Terminal);
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
    /// Runs the runtime in the foreground: it waits for the command and returns its status (128+N
    /// for a signal), forwards the signals this stage passes on, and with a terminal makes the
    /// command's pty and relays it to the caller's terminal. (A console socket is only accepted
    /// detached, and a detached runtime is the command's parent until it leaves: a command that
    /// ends before then is reaped by it and its status is lost.)
    /// </summary>
    private static int RunRuntime(OciRunRequest request, OciLayout layout)
    {
        string[] args = [.. Global(layout), "run", "--bundle", layout.Bundle, request.ContainerId];
        // Without a terminal, setsid: the command has no controlling terminal, as with the
        // namespace backend. With one, the runtime stays in the caller's foreground group, which
        // gets the terminal's SIGWINCH, and gives the command a session on its own pty.
        var newSession = !request.Terminal && File.Exists(SetsidPath);
        var psi = new ProcessStartInfo(newSession ? SetsidPath : request.Runtime) { UseShellExecute = false };
        if (newSession)
        {
            psi.ArgumentList.Add(request.Runtime);
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var runtime = Process.Start(psi) ?? throw new ContainerSetupException($"cannot start {request.Runtime}");
        var registrations = Forwarded.Select(f => PosixSignalRegistration.Create(f.Signal, c =>
        {
            c.Cancel = true;
            _ = kill(runtime.Id, f.Number);
        })).ToList();
        try
        {
            runtime.WaitForExit();
        }
        finally
        {
            registrations.ForEach(r => r.Dispose());
        }

        var errors = OciRuntimeLog.Errors(layout.Log);
        return errors.Count == 0 ? runtime.ExitCode : OciRuntimeLog.ExitCodeFor(errors);
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

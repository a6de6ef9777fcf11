using System.Diagnostics;
using Scute.Runtime.Seccomp;

namespace Scute.Runtime.Podman;

/// <summary>
/// Runs a command with rootless Podman from the environment's image (the engine exports and
/// loads it), with <see cref="PodmanArguments"/>'s flags. The container is removed when the
/// command ends; its exit status is the command's (Podman's own failures are 125-127, as Scute's).
/// </summary>
public sealed class PodmanBackend : IRuntimeBackend
{
    public string Name => "podman";

    public IReadOnlyList<PrerequisiteCheck> CheckPrerequisites() =>
    [
        PodmanCli.Path is { } path
            ? new PrerequisiteCheck("podman", true, $"{path}: runs containers rootless")
            : new PrerequisiteCheck("podman", false, "podman not found on PATH (package podman)"),
    ];

    public int Run(RunSpec spec, Action<int>? started = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var podman = PodmanCli.Require();
        // As the namespace backend: a pseudo-terminal only when there is a terminal to relay.
        // As the namespace backend, a granted device this host lacks (/dev/dri without a GPU) is left out: podman refuses a missing --device.
        spec = spec with
        {
            Terminal = spec.Terminal && Core.Interop.Libc.isatty(0) == 1,
            Devices = [.. spec.Devices.Where(d => File.Exists("/dev/" + d) || Directory.Exists("/dev/" + d))],
        };
        // A private folder (0700) for the generated passwd and group, which podman binds at start,
        // and for Scute's hook, which podman runs before it creates the container.
        var generated = Directory.CreateTempSubdirectory("scute-podman-");
        try
        {
            for (var i = 0; i < spec.RootFiles.Count; i++)
            {
                if (spec.RootFiles[i].Content is { } content)
                {
                    var path = System.IO.Path.Combine(generated.FullName, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    File.WriteAllText(path, content);
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                }
            }

            var hook = SelfExecutable.Argv(PodmanConfigFilter.Verb).ToList();
            if (spec.Environment.ContainsKey("HOSTNAME"))
            {
                hook.Add(PodmanConfigFilter.KeepHostname);
            }

            File.WriteAllText(System.IO.Path.Combine(generated.FullName, "scute.json"), PodmanConfigFilter.HookDefinition(hook));
            var args = PodmanArguments.Run(spec, WriteSeccompProfile(spec), generated.FullName);
            var psi = new ProcessStartInfo(podman) { UseShellExecute = false };
            foreach (var arg in args)
            {
                psi.ArgumentList.Add(arg);
            }

            PodmanRoot? root = null;
            if (PodmanArguments.RunsOnRootfs(spec))
            {
                var mountPoint = Directory.CreateDirectory(PodmanArguments.RootfsPath(generated.FullName)).FullName;
                // keep-id maps the user inside to Podman's 0 (the invoking user); otherwise the ids are Podman's own.
                var keepId = PodmanArguments.KeepsHostId(spec);
                root = new PodmanRoot(
                    OverlayOptions(spec),
                    mountPoint,
                    spec.Home is { Tmpfs: false } home ? home.Path : null,
                    keepId ? 0 : spec.Uid,
                    keepId ? 0 : spec.Gid);
            }

            using var guard = PodmanGuard.Link.Start(podman, SelfExecutable.Argv(PodmanGuard.Verb), PodmanArguments.PidFile(generated.FullName), root);
            using var process = Process.Start(psi) ?? throw new ContainerSetupException("podman did not start");
            guard.Client(process.Id);
            started?.Invoke(process.Id);
            process.WaitForExit();
            guard.Done();
            return process.ExitCode;
        }
        finally
        {
            generated.Delete(recursive: true);
        }
    }

    /// <summary>The environment's overlay as the namespace backend mounts it: its layers below, its upper folder on top.</summary>
    private static string OverlayOptions(RunSpec spec)
    {
        foreach (var dir in spec.LowerDirs.Append(spec.UpperDir).Append(spec.WorkDir))
        {
            if (dir.IndexOfAny([':', ',']) >= 0)
            {
                throw new ContainerSetupException($"overlay folder {dir} contains ':' or ','; move the store to a plain path");
            }
        }

        return $"lowerdir={string.Join(':', spec.LowerDirs)},upperdir={spec.UpperDir},workdir={spec.WorkDir}";
    }

    /// <summary>Where the resolved profile of an environment lives: beside its overlay folders.</summary>
    public static string SeccompFile(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return System.IO.Path.Combine(System.IO.Path.GetDirectoryName(spec.UpperDir)!, "podman-seccomp.json");
    }

    /// <summary>Writes the namespace backend's profile, resolved, as the JSON podman reads; null when unconfined.</summary>
    public static string? WriteSeccompProfile(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var json = OciSeccompJson.Write(spec.Seccomp, spec.Capabilities, SeccompArchitectures.Native);
        if (json is null)
        {
            return null;
        }

        var path = SeccompFile(spec);
        // Written once per profile, not at every exec: an unchanged file is left as it is.
        if (File.Exists(path) && File.ReadAllText(path) == json)
        {
            return path;
        }

        var temp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, json);
        File.Move(temp, path, overwrite: true);
        return path;
    }
}

using System.Runtime.InteropServices;
using System.Text.Json;
using Scute.Runtime.Interop;
using Scute.Runtime.Namespace;

namespace Scute.Runtime.Oci;

/// <summary>
/// Runs a command through an OCI runtime (crun, runc or youki, see <see cref="OciRuntimeDetector"/>)
/// with a config.json that carries the same effective context as the namespace backend. Rootless:
/// Scute creates an outer user, mount and pid namespace with unshare (the user is root there, its
/// subordinate ranges mapped by newuidmap), mounts the environment's overlay in it and runs the
/// runtime inside, as Podman runs runc in its rootless namespace. The runtime creates the
/// container's own namespaces, the user namespace mapped per <see cref="OciIdMappings"/>.
/// </summary>
public sealed class OciBackend : IRuntimeBackend
{
    private readonly IReadOnlyList<string> initCommand;
    /// <param name="initCommand">How to start Scute's oci init stage: the scute binary and its hidden command.</param>
    public OciBackend(IReadOnlyList<string> initCommand) => this.initCommand = initCommand;

    /// <summary>RLIMIT_DATA runc 1.1's init needs (its Go heap and libseccomp), checked here: 64 MiB fails, 128 MiB works.</summary>
    public const long RuncMinimumMemoryMb = 128;

    public string Name => "oci";

    public IReadOnlyList<PrerequisiteCheck> CheckPrerequisites()
    {
        return [.. HostPrerequisites.ForNamespaceBackend(), OciRuntimeDetector.Check()];
    }

    public int Run(RunSpec spec, Action<int>? started = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var runtime = OciRuntimeDetector.Detect();
        // runc's own init (Go) runs under the process's rlimits before it starts the command, and
        // fails to allocate below this much private memory.
        if (runtime.Name == "runc" && spec.Limits.MemoryLimitMb is { } mb && mb < RuncMinimumMemoryMb)
        {
            throw new ContainerSetupException(
                FormattableString.Invariant($"memory_limit_mb = {mb} is below what runc itself needs to start the command under it ({RuncMinimumMemoryMb}); raise it or use backend \"namespace\""));
        }

        var ranges = spec.IdMap.SubUids is not null
            ? spec.IdMap
            : IdMapResolver.Resolve(spec.IdMap.InsideUserForHost, spec.IdMap.InsideGroupForHost);
        // Refuse an impossible mapping here, before any namespace exists.
        _ = OciIdMappings.Container(spec.IdMap.InsideUserForHost, ranges.SubUids, "uid");
        _ = OciIdMappings.Container(spec.IdMap.InsideGroupForHost, ranges.SubGids, "gid");
        _ = OciSeccompTranslator.Translate(spec.Seccomp, spec.Capabilities);

        var death = DeathPipe.Create();
        spec = spec with { DeathPipeFd = death.ReadEnd };
        var containerId = $"scute-{Environment.ProcessId}-{Guid.NewGuid():N}"[..32];
        var stateDir = OciRunFolder.Create(containerId);
        var request = new OciRunRequest
        {
            Spec = spec,
            Runtime = runtime.Path,
            StateDir = stateDir,
            ContainerId = containerId,
            Terminal = spec.Terminal && Core.Interop.Libc.isatty(0) == 1,
            OuterUids = ranges.SubUids is not null && ranges.SubGids is not null ? ranges.SubUids : null,
            OuterGids = ranges.SubUids is not null && ranges.SubGids is not null ? ranges.SubGids : null,
        };
        var requestPath = Path.Combine(Path.GetDirectoryName(spec.UpperDir)!, $"oci-run-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        File.WriteAllText(requestPath, JsonSerializer.Serialize(request, OciRequestJsonContext.Default.OciRunRequest));
        try
        {
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
            using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, c => c.Cancel = true);
            var process = UnshareStage.Start(UnshareArguments(request), initCommand, requestPath, [death.ReadEnd]);
            using (process)
            {
                started?.Invoke(process.Id);
                process.WaitForExit();
                return process.ExitCode;
            }
        }
        finally
        {
            _ = Core.Interop.Libc.close(death.WriteEnd);
            File.Delete(requestPath);
            OciRunFolder.Remove(stateDir);
        }
    }

    /// <summary>The outer namespaces: user (the invoking user as root), mount, and pid with its own /proc (the runtime writes the container's maps through it).</summary>
    public static IReadOnlyList<string> UnshareArguments(OciRunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ["--user", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", .. OciIdMappings.OuterUnshareArguments(request.OuterUids, request.OuterGids)];
    }
}

using Scute.Engine.Lifecycle;
using Scute.Store;

namespace Scute.Engine;

/// <summary>
/// exec and enter: run a command in a built environment and return its exit status. While the
/// command runs the environment is running (a run file records this scute process); when the
/// last command ends it is built again. A frozen environment runs with a read-only root.
/// </summary>
public static class ExecOperation
{
    /// <param name="command">What to run; empty runs the user's login shell (enter).</param>
    public static int Run(string storeRoot, string reference, IReadOnlyList<string> command, string? workingDir, bool terminal = false)
    {
        var store = EnvironmentFinder.OpenExisting(storeRoot);
        EnvironmentMetadata env;
        Runtime.RunSpec spec;
        Policy.EffectiveSecurityContext security;
        Policy.Host.HostPolicy host;
        string runFile;
        using (store.Lock())
        {
            env = EnvironmentFinder.FindForChange(store, reference);
            var next = StateMachine.ForExec(env, terminal ? "enter it" : "run a command in it");
            (spec, security, host) = RunSpecBuilder.Prepare(store, env, command, workingDir);
            spec = spec with { Terminal = terminal, EnvId = env.EnvId };
            if (env.Backend == "podman")
            {
                spec = spec with { Image = Export.PodmanImage.Ensure(store, env) };
            }
            if (env.State == EnvState.Frozen)
            {
                // Nothing may change a frozen environment: a missing home is a tmpfs for this run.
                spec = spec with { ReadOnlyRoot = true, Home = spec.Home is { } home ? home with { Tmpfs = true } : null };
            }

            runFile = RunRegistry.Register(store, env.EnvId);
            if (next != env.State)
            {
                store.Metadata.Put(env with { State = next, UpdatedAt = DateTimeOffset.UtcNow });
            }
        }

        try
        {
            // The store lock is not held while the command runs: a long shell must not block other commands.
            // The context and host policy read for the spec; the session itself only when something of the desktop is granted.
            using var desktop = security.Desktop.Count > 0
                ? Desktop.DesktopSession.Open(spec, security.Desktop, host, System.Environment.GetEnvironmentVariable, Console.Error)
                : null;
            return BackendFactory.Create(env.Backend).Run(desktop?.Spec ?? spec, pid => RunRegistry.RecordProcess(runFile, pid));
        }
        finally
        {
            using (store.Lock())
            {
                RunRegistry.Unregister(runFile);
                if (store.Metadata.TryGet(env.EnvId, out var current))
                {
                    RunRegistry.Repair(store, current!);
                }
            }
        }
    }

}

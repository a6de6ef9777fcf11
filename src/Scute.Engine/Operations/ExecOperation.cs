using Scute.Engine.Lifecycle;
using Scute.Store;

namespace Scute.Engine.Operations;

/// <summary>
/// exec and enter: run a command in a built environment and return its exit status. Nothing
/// durable happens: a run record (no fsync, see <see cref="RunRecords"/>) says the environment is
/// running while the command runs, and is deleted when it ends; the metadata is never written. A
/// frozen environment runs with a read-only root.
/// </summary>
public static class ExecOperation
{
    /// <param name="command">What to run; empty runs the user's login shell (enter).</param>
    public static int Run(EngineContext context, string reference, IReadOnlyList<string> command, string? workingDir, bool terminal = false)
    {
        var store = context.OpenExistingStore();
        EnvironmentMetadata env;
        Runtime.RunSpec spec;
        Policy.EffectiveSecurityContext security;
        Policy.Host.HostPolicy host;
        string record;
        var (held, found) = ReadLock(store, reference);
        using (held)
        {
            // Built and running allow exec alike: the run records need not be read to tell them apart.
            env = found;
            _ = StateMachine.ForExec(env, terminal ? "enter it" : "run a command in it");
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

            // Written before the lock is released: destroy, restore, commit... take the exclusive
            // lock, which they only get after this point, and then read the records, so they see
            // this one. A command that got the exclusive lock first has finished before this
            // process got its own lock, and this process read what it left.
            record = RunRecords.Create(store, env.EnvId);
            spec = spec with { UserNamespaceHolder = UserNamespaceHolders.RecordBeside(store, record, env.EnvId) };
        }

        try
        {
            // No lock while the command runs: a long shell must not block other commands.
            // The context and host policy read for the spec; the session itself only when something of the desktop is granted.
            using var desktop = security.Desktop.Count > 0
                ? Desktop.DesktopSession.Open(spec, security.Desktop, host, System.Environment.GetEnvironmentVariable, Console.Error)
                : null;
            return BackendFactory.Create(context, env.Backend).Run(desktop?.Spec ?? spec, pid => RunRecords.AddProcess(record, pid));
        }
        finally
        {
            RunRecords.Remove(record);
        }
    }

    /// <summary>
    /// The shared lock, which only keeps changing commands out while this one reads, and the
    /// environment read under it. When a crashed command left something to roll back, the exclusive
    /// lock instead, which recovers it first (what a user expects: the store is repaired, the
    /// command runs). The podman backend writes the store while it prepares (its image through
    /// staging, then env/&lt;id&gt;/podman-image): it keeps the exclusive lock too.
    /// </summary>
    private static (StoreLock Held, EnvironmentMetadata Env) ReadLock(ScuteStore store, string reference)
    {
        var shared = store.LockShared();
        try
        {
            if (!store.Wal.NeedsRecovery() && EnvironmentFinder.Find(store, reference) is { Backend: not "podman" } env)
            {
                return (shared, env);
            }
        }
        catch
        {
            shared.Dispose();
            throw;
        }

        shared.Dispose();
        var exclusive = store.LockForChange();
        try
        {
            return (exclusive, EnvironmentFinder.Find(store, reference));
        }
        catch
        {
            exclusive.Dispose();
            throw;
        }
    }
}

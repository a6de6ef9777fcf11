using Scute.Store;
using Scute.Engine.Lifecycle;

namespace Scute.Engine.Operations;

public sealed record StopResult(EnvironmentMetadata Env, int Commands, bool Killed);

/// <summary>
/// stop: SIGTERM to the init stage (pid 1 of its pid namespace) of every command running in the
/// environment, which forwards it to the command; SIGKILL to those inits after the timeout,
/// which ends every process of their namespaces. The exec/enter processes then return and
/// delete their run records, so the environment is built again. Its user-namespace holder, if
/// any, ends too.
/// </summary>
public static class StopOperation
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan AfterKill = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PodmanRetry = TimeSpan.FromMilliseconds(500);

    public static StopResult Run(EngineContext context, string reference, TimeSpan timeout)
    {
        var store = context.OpenExistingStore();
        var env = EnvironmentFinder.Find(store, reference);
        var running = RunRecords.Live(store, env.EnvId);
        var killed = false;
        if (running.Count > 0 && env.Backend == "podman")
        {
            // Podman's containers outlive a signalled client: stop them through Podman itself,
            // again until the commands have ended (a command still starting has no container yet).
            var clock = System.Diagnostics.Stopwatch.StartNew();
            do
            {
                var left = timeout - clock.Elapsed;
                _ = Runtime.Podman.PodmanCli.StopEnvironment(env.EnvId, left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
            while (!WaitUntilStopped(store, env.EnvId, PodmanRetry) && clock.Elapsed < timeout + AfterKill);

            killed = RunRecords.Live(store, env.EnvId).Count > 0;
        }
        else if (running.Count > 0)
        {
            Signal(running, ProcessSignals.SigTerm);
            if (!WaitUntilStopped(store, env.EnvId, timeout))
            {
                killed = true;
                Signal(RunRecords.Live(store, env.EnvId), ProcessSignals.SigKill);
                _ = WaitUntilStopped(store, env.EnvId, AfterKill);
            }
        }

        using (store.LockForChange())
        {
            if (store.Metadata.TryGet(env.EnvId, out var current))
            {
                RunRecords.RemoveStale(store, env.EnvId);
                // After the commands: none of their stages can start a holder any more.
                UserNamespaceHolders.End(store, env.EnvId);
                env = RunRecords.Effective(store, current!);
                if (current!.State == EnvState.Running && env.State == EnvState.Built)
                {
                    // Written by a scute from before run records: stop is a change, it may say built again.
                    store.Metadata.Put(env with { UpdatedAt = DateTimeOffset.UtcNow });
                }
            }
        }

        return new StopResult(env, running.Count, killed);
    }

    /// <summary>scute exec → outer stage → pid 1: pid 1 of the namespace is the grandchild; it forwards to the command.</summary>
    private static void Signal(IReadOnlyList<int> scutePids, int signal)
    {
        foreach (var scute in scutePids)
        {
            var inits = ProcessSignals.Children(scute).SelectMany(ProcessSignals.Children).ToList();
            foreach (var init in inits)
            {
                _ = ProcessSignals.Send(init, signal);
            }
        }
    }

    private static bool WaitUntilStopped(ScuteStore store, string envId, TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (RunRecords.Live(store, envId).Count > 0)
        {
            if (clock.Elapsed >= limit)
            {
                return false;
            }

            Thread.Sleep(Poll);
        }

        return true;
    }
}

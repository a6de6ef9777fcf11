using Scute.Store;

namespace Scute.Engine;

/// <summary>exec and enter: run a command in a built environment and return its exit status.</summary>
public static class ExecOperation
{
    public static int Run(string storeRoot, string reference, IReadOnlyList<string> command, string? workingDir, bool terminal = false)
    {
        var store = EnvironmentFinder.OpenExisting(storeRoot);
        EnvironmentMetadata env;
        Runtime.RunSpec spec;
        using (store.Lock())
        {
            env = EnvironmentFinder.Find(store, reference);
            if (env.State is EnvState.Archived or EnvState.Defined)
            {
                throw new EngineException($"environment {env.ShortId} is {env.State.ToString().ToLowerInvariant()}; it cannot be entered");
            }

            spec = RunSpecBuilder.Build(store, env, command, workingDir) with { Terminal = terminal };
        }

        // The store lock is not held while the command runs: a long shell must not block other commands.
        return BackendFactory.Create(env.Backend).Run(spec);
    }

    /// <summary>The login shell of the environment's user, from the image's passwd, else /bin/sh.</summary>
    public static IReadOnlyList<string> DefaultShell() => ["/bin/sh", "-l"];
}

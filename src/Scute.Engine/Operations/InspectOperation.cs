using Scute.Store;
using Scute.Engine.Lifecycle;

namespace Scute.Engine.Operations;

public static class InspectOperation
{
    public static EnvironmentMetadata Run(EngineContext context, string reference)
    {
        var store = context.OpenExistingStore();
        return Lifecycle.RunRecords.Effective(store, EnvironmentFinder.Find(store, reference));
    }

    /// <summary>
    /// The exact `podman run` line `scute enter` starts for an environment of the podman
    /// backend (exec replaces the command at its end); null for other backends.
    /// </summary>
    public static string? PodmanCommandLine(EngineContext context, EnvironmentMetadata env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (env.Backend != "podman")
        {
            return null;
        }

        var store = context.OpenExistingStore();
        var spec = RunSpecBuilder.Build(store, env, [], workingDir: null) with { EnvId = env.EnvId, Image = Export.EnvironmentImage.Tag(env) };
        var seccomp = spec.Seccomp.Mode == SeccompModes.Unconfined ? null : Runtime.Podman.PodmanBackend.SeccompFile(spec);
        return Runtime.Podman.PodmanArguments.Quote(["podman", .. Runtime.Podman.PodmanArguments.Run(spec, seccomp)]);
    }

    /// <summary>For each resource limit: its value and whether (and how) this host enforces it.</summary>
    public static IReadOnlyList<Runtime.LimitEnforcement> Limits(EnvironmentMetadata env) =>
        Runtime.ResourceLimits.Describe(RunSpecBuilder.Limits(env.ManifestJson));
}

using Scute.Store;

namespace Scute.Engine;

public static class InspectOperation
{
    public static EnvironmentMetadata Run(string storeRoot, string reference)
    {
        var store = EnvironmentFinder.OpenExisting(storeRoot);
        return Lifecycle.RunRegistry.Effective(store, EnvironmentFinder.Find(store, reference));
    }

    /// <summary>For each resource limit: its value and whether (and how) this host enforces it.</summary>
    public static IReadOnlyList<Runtime.LimitEnforcement> Limits(EnvironmentMetadata env) =>
        Runtime.ResourceLimits.Describe(RunSpecBuilder.Limits(env.ManifestJson));
}

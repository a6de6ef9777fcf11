using Scute.Store;
using Scute.Store.Overlay;

namespace Scute.Engine.Operations;

/// <summary>diff: the paths an environment's upper dir adds, modifies and removes against its base image.</summary>
public static class DiffOperation
{
    public static IReadOnlyList<PathChange> Run(EngineContext context, string reference)
    {
        var store = context.OpenExistingStore();
        var env = EnvironmentFinder.Find(store, reference);
        var upper = new EnvironmentDirs(store.Layout.EnvDir(env.EnvId)).Upper;
        if (!Directory.Exists(upper))
        {
            return [];
        }

        // The overlay's lower layers, topmost first, as exec mounts them.
        return UpperDiff.Compute(upper, EnvironmentLayers.LowerDirs(store, env));
    }
}

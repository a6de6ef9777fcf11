using Scute.Engine.Packages;
using Scute.Store;

namespace Scute.Engine;

/// <summary>The read-only folders an environment's overlay stacks, as exec mounts them and diff compares against.</summary>
internal static class EnvironmentLayers
{
    /// <summary>Topmost first: each Dependency layer's installed tree, then the base image's rootfs.</summary>
    public static IReadOnlyList<string> LowerDirs(ScuteStore store, EnvironmentMetadata env)
    {
        var dirs = new List<string>();
        foreach (var layer in env.Layers.Skip(1).Reverse())
        {
            if (store.Layers.Get(layer).Kind != LayerKind.Dependency)
            {
                continue;
            }

            var tree = DependencyLayer.TreeDir(store, env.ImageKey, layer);
            if (!Directory.Exists(tree))
            {
                throw new EngineException($"the installed packages of {env.ShortId} are no longer in the store ({tree}); run scute build again");
            }

            dirs.Add(tree);
        }

        dirs.Add(store.Layout.ImageRootfs(env.ImageKey));
        return dirs;
    }
}

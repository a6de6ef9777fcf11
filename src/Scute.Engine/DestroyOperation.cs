using Scute.Store;

namespace Scute.Engine;

/// <summary>
/// destroy: the metadata goes first (so the environment is gone for every reader), then its
/// folder is moved into staging and deleted; a crash in between leaves only scratch to clean.
/// </summary>
public static class DestroyOperation
{
    public static EnvironmentMetadata Run(string storeRoot, string reference)
    {
        var store = EnvironmentFinder.OpenExisting(storeRoot);
        using var storeLock = store.Lock();
        var env = EnvironmentFinder.Find(store, reference);
        if (env.State == EnvState.Running)
        {
            throw new EngineException($"environment {env.ShortId} is running; stop it first");
        }

        store.Metadata.Delete(env.EnvId);
        var dir = store.Layout.EnvDir(env.EnvId);
        if (Directory.Exists(dir))
        {
            var trash = Path.Combine(store.CreateStagingDir(), "env");
            Directory.Move(dir, trash);
            TreeRemoval.Remove(Path.GetDirectoryName(trash)!);
        }

        return env;
    }
}

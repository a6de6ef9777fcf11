using Scute.Store;

namespace Scute.Engine;

/// <summary>
/// Finds an environment by env_id, short_id (or any unique id prefix of 12+) or name, without
/// reading every metadata file: a full id is its metadata path, a name goes through the name
/// hints (store/names/), a prefix through the listing of store/metadata/. Never writes.
/// </summary>
public static class EnvironmentFinder
{
    private const int FullIdLength = 64;
    private const int MinPrefix = 12;

    /// <summary>The metadata as stored (a state of running is what an older scute wrote; see <see cref="Lifecycle.RunRecords.Effective(ScuteStore, EnvironmentMetadata)"/>).</summary>
    public static EnvironmentMetadata Find(ScuteStore store, string reference)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(reference);
        if (IsFullId(reference) && store.Metadata.TryGet(reference, out var direct))
        {
            return direct!;
        }

        var byName = store.Metadata.FindByName(reference);
        if (byName.Count == 1)
        {
            return byName[0];
        }

        var ids = reference.Length >= MinPrefix && reference.All(char.IsAsciiHexDigitLower)
            ? store.Metadata.Ids().Where(id => id.StartsWith(reference, StringComparison.Ordinal)).ToList()
            : [];
        return ids.Count switch
        {
            1 => store.Metadata.Get(ids[0]),
            0 => throw new EngineException($"no environment '{reference}' in the store {store.Layout.Root} (see scute list)"),
            _ => throw new EngineException($"'{reference}' matches {ids.Count} environments; give more of the id"),
        };
    }

    /// <summary>
    /// Under the exclusive store lock, for commands that change the environment: finds it, deletes
    /// its stale run records, and returns it with its effective state (running while a record is
    /// live). Writes no metadata: a mutating command stores <see cref="Lifecycle.RunRecords.ForStorage"/>.
    /// </summary>
    public static EnvironmentMetadata FindForChange(ScuteStore store, string reference)
    {
        var env = Find(store, reference);
        Lifecycle.RunRecords.RemoveStale(store, env.EnvId);
        return Lifecycle.RunRecords.Effective(store, env);
    }

    private static bool IsFullId(string reference) => reference.Length == FullIdLength && reference.All(char.IsAsciiHexDigitLower);
}

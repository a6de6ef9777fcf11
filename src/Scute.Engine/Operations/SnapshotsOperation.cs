using Scute.Store;
using Scute.Engine.Lifecycle;

namespace Scute.Engine.Operations;

/// <summary>snapshots: an environment's snapshots, oldest first.</summary>
public static class SnapshotsOperation
{
    public static IReadOnlyList<SnapshotInfo> Run(EngineContext context, string reference)
    {
        var store = context.OpenExistingStore();
        var env = EnvironmentFinder.Find(store, reference);
        return [.. env.Snapshots.Select(s =>
        {
            var d = store.Layers.Get(s);
            return new SnapshotInfo(s, d.TarDigest, d.Parent, d.CreatedAt, d.Note, s == env.CurrentSnapshot);
        })];
    }

    /// <summary>A snapshot of the environment by its digest, its hex, or a unique hex prefix of 6 or more.</summary>
    public static Digest Resolve(EnvironmentMetadata env, string text)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(text);
        var hex = text.StartsWith("sha256:", StringComparison.Ordinal) ? text[7..] : text;
        var matches = hex.Length >= 6
            ? env.Snapshots.Where(s => s.Hex.StartsWith(hex, StringComparison.OrdinalIgnoreCase)).Distinct().ToList()
            : [];
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new EngineException($"environment {env.ShortId} has no snapshot '{text}' (see scute snapshots {env.Name ?? env.ShortId})"),
            _ => throw new EngineException($"'{text}' matches {matches.Count} snapshots; give more of the digest"),
        };
    }
}

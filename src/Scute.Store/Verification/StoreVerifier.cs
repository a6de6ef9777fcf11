namespace Scute.Store.Verification;

/// <summary>What <see cref="StoreVerifier.Verify"/> looked at and found.</summary>
public sealed record StoreVerification(IReadOnlyList<StoreProblem> Problems, int Objects, int Layers, int Environments);

/// <summary>
/// The store's own check: re-hashes every object, layer description and metadata file, and checks that
/// what they reference exists (tars, parents, layers, snapshots, SBOMs). Keeps going past each problem.
/// The caller holds the store lock.
/// </summary>
public static class StoreVerifier
{
    public static StoreVerification Verify(ScuteStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var problems = new List<StoreProblem>();
        var objects = store.Objects.List().ToList();
        // Hashing is the whole cost and each object is independent: one per core, reported in order.
        var found = new List<StoreProblem>[objects.Count];
        Parallel.For(0, objects.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            found[i] = [];
            Check(found[i], "object", store.Layout.ObjectPath(objects[i]), () => store.Objects.Verify(objects[i]));
        });
        problems.AddRange(found.SelectMany(f => f));

        var layers = store.Layers.List().ToList();
        foreach (var d in layers)
        {
            var path = store.Layout.LayerPath(d);
            Check(problems, "layer", path, () =>
            {
                var layer = store.Layers.Get(d);
                Require(problems, "layer", path, store.Objects.Contains(layer.TarDigest), $"its tar {layer.TarDigest} is not in the object store");
                Require(problems, "layer", path, layer.Parent is not { } parent || store.Layers.Contains(parent), $"its parent layer {layer.Parent} is not in the store");
            });
        }

        var envIds = MetadataFiles(store.Layout);
        foreach (var id in envIds)
        {
            var path = Path.Combine(store.Layout.MetadataDir, id);
            Check(problems, "metadata", path, () =>
            {
                var env = store.Metadata.Get(id);
                foreach (var layer in env.Layers)
                {
                    Require(problems, "metadata", path, store.Layers.Contains(layer), $"layer {layer} is not in the store");
                }

                // A snapshot the user was given a digest for must stay restorable.
                var snapshots = env.CurrentSnapshot is { } current ? env.Snapshots.Append(current) : env.Snapshots;
                foreach (var snapshot in snapshots.Distinct())
                {
                    Require(problems, "metadata", path, store.Layers.Contains(snapshot), $"snapshot {snapshot} is not in the store");
                }

                Require(problems, "metadata", path, env.Sbom is not { } sbom || store.Objects.Contains(sbom), $"its SBOM {env.Sbom} is not in the object store");
            });
        }

        return new StoreVerification(problems, objects.Count, layers.Count, envIds.Count);
    }

    /// <summary>Runs one check; a failure of the kinds reading a damaged store raises becomes one problem line.</summary>
    public static void Check(List<StoreProblem> problems, string kind, string path, Action check)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(check);
        try
        {
            check();
        }
        catch (Exception e) when (e is StoreException or IOException or UnauthorizedAccessException or ArgumentException or FormatException or InvalidDataException)
        {
            var detail = e is StoreCorruptionException c && c.ItemPath.Length > 0
                ? e.Message.Replace($"store corruption in {c.ItemPath}: ", string.Empty, StringComparison.Ordinal)
                : e.Message;
            problems.Add(new StoreProblem(kind, path, detail.ReplaceLineEndings(" ")));
        }
    }

    // Not MetadataStore.List(): it stops at the first corrupt file, and every file must be looked at.
    private static List<string> MetadataFiles(StoreLayout layout) =>
        !Directory.Exists(layout.MetadataDir)
            ? []
            : [.. Directory.EnumerateFiles(layout.MetadataDir)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(n => !n.StartsWith('.'))
                .Order(StringComparer.Ordinal)];

    private static void Require(List<StoreProblem> problems, string kind, string path, bool ok, string detail)
    {
        if (!ok)
        {
            problems.Add(new StoreProblem(kind, path, detail));
        }
    }
}

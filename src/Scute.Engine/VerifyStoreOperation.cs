using Scute.Policy.Audit;
using Scute.Store;

namespace Scute.Engine;

/// <summary>One thing verify-store found wrong: kind (object, layer, metadata, audit), file, and what.</summary>
public sealed record StoreProblem(string Kind, string Path, string Detail);

public sealed record VerifyStoreReport(IReadOnlyList<StoreProblem> Problems, int Objects, int Layers, int Environments, int AuditRecords)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// verify-store: re-hashes every object, layer description and metadata file, checks that what
/// they reference exists (layers, snapshots), and checks the audit chain. Keeps going past each problem.
/// </summary>
public static class VerifyStoreOperation
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    public static VerifyStoreReport Run(string storeRoot)
    {
        var store = EnvironmentFinder.OpenExisting(storeRoot);
        using var storeLock = store.LockForChange(StoreLockOptions.Timeout ?? LockTimeout);
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

        var logPath = AuditOperation.LogPath(store.Layout);
        var audit = AuditChainReport.Empty;
        Check(problems, "audit", logPath, () => audit = AuditLog.Read(logPath));
        if (audit.Break is { } broken)
        {
            problems.Add(new StoreProblem("audit", logPath, broken.ToString()));
        }

        return new VerifyStoreReport(problems, objects.Count, layers.Count, envIds.Count, audit.LineCount);
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

    private static void Check(List<StoreProblem> problems, string kind, string path, Action check)
    {
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

    private static void Require(List<StoreProblem> problems, string kind, string path, bool ok, string detail)
    {
        if (!ok)
        {
            problems.Add(new StoreProblem(kind, path, detail));
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Scute.Images;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Engine.Packages;

/// <summary>
/// The Dependency layer of a build: what the package manager added to a base, installed once
/// and shared by every environment with the same base and package set. It is keyed by (base
/// content digest, sorted names, resolved versions): an unlocked build reuses any layer with
/// its base and names, a locked build only one whose versions are exactly the locked ones.
/// On disk: the layer's deterministic tar in the object store (like every layer), and the
/// installed tree, used as an overlay lower folder, at images/&lt;key&gt;/deps/&lt;layer hex&gt;/
/// beside its index entry &lt;layer hex&gt;.json. Both live as long as the image entry; the
/// layer description is reachable from each environment that lists it (gc keeps it).
/// </summary>
public static class DependencyLayer
{
    public sealed record Result(Digest Layer, IReadOnlyList<ResolvedPackage> Packages, bool Installed);

    public static string DepsDir(ScuteStore store, string imageKey) => store.Layout.ImageDepsDir(imageKey);

    /// <summary>The installed tree of a Dependency layer: an overlay lower folder.</summary>
    public static string TreeDir(ScuteStore store, string imageKey, Digest layer) => Path.Combine(DepsDir(store, imageKey), layer.Hex);

    public static Result Ensure(ScuteStore store, ResolvedImage image, Digest baseLayer, PackageRequest request, Store.Wal.WalOperation op)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(op);
        if (Find(store, image, request) is { } cached)
        {
            return cached with { Layer = EnsureDescribed(store, image, baseLayer, cached) };
        }

        if (request.Offline)
        {
            throw new EngineException(
                $"--offline: the store has no Dependency layer for base {image.ContentDigest} with {request.Describe()}; build once without --offline to install them");
        }

        var manager = PackageManagerDetector.Detect(image.RootfsPath)
            ?? throw new EngineException($"system.packages: the base image has no package manager scute knows (looked for {PackageManagerDetector.Looked}); use a distribution image or remove the packages");
        var staging = store.CreateStagingDir();
        try
        {
            var run = new InstallRun(image.RootfsPath, staging, request.Verbose, request.RunnerOverride);
            var packages = PackageInstall.Run(run, manager, request);
            run.Reclaim();
            run.RemoveMountPoints(image.RootfsPath);
            var layer = Record(store, image, baseLayer, manager.Name, packages, run.UpperDir, request, op);
            return new Result(layer, packages, Installed: true);
        }
        finally
        {
            TryRemove(staging);
        }
    }

    /// <summary>A layer already installed for this base and request, if any.</summary>
    private static Result? Find(ScuteStore store, ResolvedImage image, PackageRequest request)
    {
        var dir = DepsDir(store, image.Key);
        if (!Directory.Exists(dir))
        {
            return null;
        }

        foreach (var file in Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            if (ReadEntry(file) is not { } entry || entry.BaseDigest != image.ContentDigest.ToString()
                || !entry.Names.SequenceEqual(request.Names, StringComparer.Ordinal)
                || (request.Locked is { } locked && !entry.Packages.SequenceEqual(locked.OrderBy(p => p.Name, StringComparer.Ordinal)))
                || !Directory.Exists(TreeDir(store, image.Key, entry.Layer)))
            {
                continue;
            }

            return new Result(entry.Layer, entry.Packages, Installed: false);
        }

        return null;
    }

    /// <summary>gc may have taken the layer description when no environment used it; the tree is still here, so it is packed again.</summary>
    private static Digest EnsureDescribed(ScuteStore store, ResolvedImage image, Digest baseLayer, Result cached)
    {
        if (store.Layers.Contains(cached.Layer) && store.Objects.Contains(store.Layers.Get(cached.Layer).TarDigest))
        {
            return cached.Layer;
        }

        var tar = UpperPacking.PackIntoStore(store, TreeDir(store, image.Key, cached.Layer));
        return store.Layers.Put(Describe(baseLayer, tar, cached.Packages));
    }

    private static Digest Record(ScuteStore store, ResolvedImage image, Digest baseLayer, string manager, IReadOnlyList<ResolvedPackage> packages, string upper, PackageRequest request, Store.Wal.WalOperation op)
    {
        var tar = UpperPacking.PackIntoStore(store, upper);
        var layer = store.Layers.Put(Describe(baseLayer, tar, packages));
        var tree = TreeDir(store, image.Key, layer);
        if (!Directory.Exists(tree))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(tree)!);
            op.RemoveOnRollback(tree);
            Directory.Move(upper, tree);
        }

        var entry = tree + ".json";
        op.RemoveOnRollback(entry);
        var json = new JsonObject
        {
            ["base_digest"] = image.ContentDigest.ToString(),
            ["manager"] = manager,
            ["names"] = new JsonArray([.. request.Names.Select(n => (JsonNode)JsonValue.Create(n))]),
            ["packages"] = new JsonArray([.. packages.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["version"] = p.Version })]),
            ["layer"] = layer.ToString(),
        };
        AtomicFile.WriteAllText(entry, json.ToJsonString());
        return layer;
    }

    private static LayerDescription Describe(Digest baseLayer, Digest tar, IReadOnlyList<ResolvedPackage> packages) => new()
    {
        Kind = LayerKind.Dependency,
        Parent = baseLayer,
        TarDigest = tar,
        Note = string.Join(' ', packages.Select(p => $"{p.Name}={p.Version}")),
    };

    private sealed record Entry(string BaseDigest, IReadOnlyList<string> Names, IReadOnlyList<ResolvedPackage> Packages, Digest Layer);

    /// <summary>An unreadable entry is skipped: the packages are then installed again, never guessed.</summary>
    private static Entry? ReadEntry(string file)
    {
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(file)) as JsonObject;
            var names = node?["names"] as JsonArray;
            var packages = node?["packages"] as JsonArray;
            if (Text(node?["layer"]) is not { } layerText || !Digest.TryParse(layerText, out var layer)
                || Path.GetFileNameWithoutExtension(file) != layer.Hex || Text(node?["base_digest"]) is not { } baseDigest
                || names is null || packages is null)
            {
                return null;
            }

            var nameList = names.Select(Text).ToList();
            var packageList = packages.Select(p => (Name: Text(p?["name"]), Version: Text(p?["version"]))).ToList();
            if (nameList.Any(n => n is null) || packageList.Any(p => p.Name is null || p.Version is null))
            {
                return null;
            }

            return new Entry(baseDigest, [.. nameList.OfType<string>()], [.. packageList.Select(p => new ResolvedPackage(p.Name!, p.Version!))], layer);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>What the install left behind; files owned by subordinate ids may resist, and gc then clears the staging entry.</summary>
    private static void TryRemove(string staging)
    {
        try
        {
            TreeRemoval.Remove(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for gc, which names the folder if it cannot remove it either.
        }
    }
}

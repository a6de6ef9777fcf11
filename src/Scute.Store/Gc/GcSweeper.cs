namespace Scute.Store.Gc;

/// <summary>
/// Deletes what <see cref="MarkSweep.Sweep"/> ordered, one item at a time, checking for
/// cancellation between items. Layers and objects are single unlinks; env folders and image
/// entries are first renamed into store/staging (atomic), then deleted, so a kill mid-delete
/// leaves only staging scratch. When an item cannot be removed, nothing it references is removed
/// either: no survivor ever names a deleted file.
/// </summary>
internal sealed class GcSweeper
{
    private readonly ScuteStore store;
    private readonly Func<GcNode, IEnumerable<GcNode>> references;
    private readonly Action<string> removeTree;
    private readonly HashSet<GcNode> blocked = [];

    /// <param name="removeTree">Deletes a tree without following links; the caller's, because files of an
    /// environment's users may need a user namespace to remove (the engine's TreeRemoval).</param>
    public GcSweeper(ScuteStore store, Func<GcNode, IEnumerable<GcNode>> references, Action<string> removeTree)
    {
        this.store = store;
        this.references = references;
        this.removeTree = removeTree;
    }

    public List<GcFailure> Failed { get; } = [];

    /// <summary>Removes <paramref name="node"/>; false when it, or something referring to it, could not be removed.</summary>
    public bool Remove(GcNode node)
    {
        if (blocked.Contains(node))
        {
            Block(node);
            return false;
        }

        var path = PathOf(store.Layout, node);
        try
        {
            switch (node.Kind)
            {
                case GcKind.Layer:
                    store.Layers.Delete(Digest.Parse(node.Id));
                    break;
                case GcKind.Object:
                    store.Objects.Delete(Digest.Parse(node.Id));
                    break;
                case GcKind.Staging:
                    return RemoveTree(node, path);
                case GcKind.EnvFolder or GcKind.Image:
                    var trash = Path.Combine(store.CreateStagingDir(), node.Kind == GcKind.Image ? "image" : "env");
                    Directory.Move(path, trash);
                    return RemoveTree(node, Path.GetDirectoryName(trash)!);
                default:
                    throw new InvalidOperationException($"gc never removes {node}");
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Failed.Add(new GcFailure(node, path, e.Message, null));
            Block(node);
            return false;
        }
    }

    public static string PathOf(StoreLayout layout, GcNode node) => node.Kind switch
    {
        GcKind.Layer => layout.LayerPath(Digest.Parse(node.Id)),
        GcKind.Object => layout.ObjectPath(Digest.Parse(node.Id)),
        GcKind.Staging => Path.Combine(layout.StagingDir, node.Id),
        GcKind.EnvFolder => layout.EnvDir(node.Id),
        GcKind.Image => layout.ImageDir(node.Id),
        _ => layout.MetadataPath(node.Id),
    };

    private void Block(GcNode node)
    {
        foreach (var target in references(node))
        {
            blocked.Add(target);
        }
    }

    // Already out of the way (nothing refers to a staging entry): a failure here is reported, not blocking.
    private bool RemoveTree(GcNode node, string path)
    {
        try
        {
            // Files, symlinks and folders alike: the removal never follows a link.
            removeTree(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var hint = $"it may hold files owned by your subordinate ids (written inside an environment); remove it with: unshare --user --map-auto --map-root-user rm -rf {path}";
            Failed.Add(new GcFailure(node, path, e.Message, hint));
            return false;
        }
    }
}

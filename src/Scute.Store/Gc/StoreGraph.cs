namespace Scute.Store.Gc;

/// <summary>
/// The store as the collector sees it: what exists and what refers to what. Plain data read by
/// <see cref="StoreInventory"/>; the roots and references here are pure functions of it.
/// </summary>
public sealed record StoreGraph
{
    public IReadOnlyList<EnvironmentMetadata> Environments { get; init; } = [];

    /// <summary>Every readable layer description, by its digest.</summary>
    public IReadOnlyDictionary<Digest, LayerDescription> Layers { get; init; } = new Dictionary<Digest, LayerDescription>();

    /// <summary>Every object and its size in bytes.</summary>
    public IReadOnlyDictionary<Digest, long> Objects { get; init; } = new Dictionary<Digest, long>();

    /// <summary>Every image cache entry and the Base layer its base-layer file names, if any.</summary>
    public IReadOnlyDictionary<string, Digest?> Images { get; init; } = new Dictionary<string, Digest?>();

    public IReadOnlyList<string> EnvFolders { get; init; } = [];

    /// <summary>Staging entries old enough to belong to no running command.</summary>
    public IReadOnlyList<string> StagingEntries { get; init; } = [];

    /// <summary>
    /// Every environment with metadata is live, whatever its state: Running and Archived always,
    /// the others until destroy removes their metadata. Nothing an environment names is collected.
    /// </summary>
    public IEnumerable<GcNode> Roots() => Environments.Select(m => new GcNode(GcKind.Environment, m.EnvId));

    /// <summary>Everything that may be collected (environments never are).</summary>
    public IEnumerable<GcNode> Candidates() =>
        StagingEntries.Select(s => new GcNode(GcKind.Staging, s))
            .Concat(EnvFolders.Select(e => new GcNode(GcKind.EnvFolder, e)))
            .Concat(Images.Keys.Select(k => new GcNode(GcKind.Image, k)))
            .Concat(Layers.Keys.Select(d => new GcNode(GcKind.Layer, d.ToString())))
            .Concat(Objects.Keys.Select(d => new GcNode(GcKind.Object, d.ToString())));

    /// <summary>
    /// What a node refers to: an environment its folder, image, layers and SBOM; a layer its parent and
    /// tar; an image its Base layer. A reference to something missing is still returned (and
    /// marked); it simply has nothing to keep.
    /// </summary>
    public IEnumerable<GcNode> References(GcNode node)
    {
        switch (node.Kind)
        {
            case GcKind.Environment:
                var env = Environments.FirstOrDefault(m => m.EnvId == node.Id);
                return env is null ? [] : EnvironmentReferences(env);
            case GcKind.Layer when Digest.TryParse(node.Id, out var d) && Layers.TryGetValue(d, out var layer):
                return layer.Parent is { } parent
                    ? [Layer(parent), ObjectNode(layer.TarDigest)]
                    : [ObjectNode(layer.TarDigest)];
            case GcKind.Image when Images.TryGetValue(node.Id, out var baseLayer) && baseLayer is { } b:
                return [Layer(b)];
            default:
                return [];
        }
    }

    /// <summary>A node's size in bytes where the graph knows it (objects).</summary>
    public long SizeOf(GcNode node) =>
        node.Kind == GcKind.Object && Digest.TryParse(node.Id, out var d) && Objects.TryGetValue(d, out var size) ? size : 0;

    private static IEnumerable<GcNode> EnvironmentReferences(EnvironmentMetadata m)
    {
        yield return new GcNode(GcKind.EnvFolder, m.EnvId);
        yield return new GcNode(GcKind.Image, m.ImageKey);
        IEnumerable<Digest> layers = [.. m.Layers, .. m.Snapshots, .. (m.CurrentSnapshot is { } current ? [current] : Array.Empty<Digest>())];
        foreach (var layer in layers)
        {
            yield return Layer(layer);
        }

        if (m.Sbom is { } sbom)
        {
            yield return ObjectNode(sbom);
        }
    }

    private static GcNode Layer(Digest d) => new(GcKind.Layer, d.ToString());

    private static GcNode ObjectNode(Digest d) => new(GcKind.Object, d.ToString());
}

using System.Text;

namespace Scute.Store.Tests;

public class LayerStoreTests
{
    private static readonly Digest Tar = Digest.Compute([1, 2, 3]);

    [Fact]
    public void Round_trip_and_canonical_bytes()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        var parent = store.Layers.Put(new LayerDescription { Kind = LayerKind.Base, TarDigest = Tar });
        var child = new LayerDescription { Kind = LayerKind.Snapshot, Parent = parent, TarDigest = Tar, Note = "after apt" };
        var d = store.Layers.Put(child);
        Assert.Equal(child, store.Layers.Get(d));
        Assert.Equal(d, store.Layers.Put(child));
        Assert.Equal(new[] { parent, d }.Order(), store.Layers.List());

        var text = File.ReadAllText(Path.Combine(store.Layout.LayersDir, d.Hex));
        Assert.Equal($"{{\"kind\":\"snapshot\",\"note\":\"after apt\",\"parent\":\"{parent}\",\"tar_digest\":\"{Tar}\"}}", text);
        Assert.Equal(d, Digest.Compute(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Tampered_layer_is_corruption()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        var d = store.Layers.Put(new LayerDescription { Kind = LayerKind.Dependency, TarDigest = Tar });
        var path = Path.Combine(store.Layout.LayersDir, d.Hex);
        File.WriteAllText(path, File.ReadAllText(path).Replace("dependency", "policy", StringComparison.Ordinal));
        var ex = Assert.Throws<StoreCorruptionException>(() => store.Layers.Get(d));
        Assert.Equal(path, ex.ItemPath);
    }

    [Fact]
    public void Missing_layer_is_a_store_error()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        Assert.Throws<StoreException>(() => store.Layers.Get(Tar));
    }
}

namespace Scute.Store.Tests;

public class MetadataStoreTests
{
    private static EnvironmentMetadata Sample(string envId) => new()
    {
        EnvId = envId,
        ShortId = envId[..Math.Min(12, envId.Length)],
        Name = "web",
        State = EnvState.Built,
        ManifestPath = "/home/u/project/scute.toml",
        BaseReference = "docker.io/library/debian:bookworm",
        BaseDigest = Digest.Compute([7]),
        ImageKey = "debian-bookworm",
        Backend = "namespace",
        Layers = [Digest.Compute([1]), Digest.Compute([2])],
        ManifestJson = "{\"b\":1,\"a\":\"<x>\"}",
        SecurityJson = "{}",
        CreatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 6, TimeSpan.FromHours(2)),
    };

    private static void AssertSame(EnvironmentMetadata expected, EnvironmentMetadata actual)
    {
        Assert.Equal(expected.Layers, actual.Layers);
        Assert.Equal(expected.Snapshots, actual.Snapshots);
        IReadOnlyList<Digest> none = [];
        Assert.Equal(expected with { Layers = none, Snapshots = none }, actual with { Layers = none, Snapshots = none });
    }

    [Fact]
    public void Round_trip_list_and_delete()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        var b = Sample("bbbb");
        var a = Sample("aaaa") with { Name = null, State = EnvState.Archived };
        store.Metadata.Put(b);
        store.Metadata.Put(a);
        AssertSame(b, store.Metadata.Get("bbbb"));
        Assert.True(store.Metadata.TryGet("aaaa", out var got));
        AssertSame(a, got!);

        var list = store.Metadata.List();
        Assert.Equal(["aaaa", "bbbb"], list.Select(m => m.EnvId));

        var text = File.ReadAllText(Path.Combine(store.Layout.MetadataDir, "bbbb"));
        Assert.Contains("\"checksum\":\"sha256:", text, StringComparison.Ordinal);
        Assert.Contains("\"state\":\"built\"", text, StringComparison.Ordinal);

        store.Metadata.Delete("aaaa");
        Assert.False(store.Metadata.TryGet("aaaa", out _));
        Assert.Throws<StoreException>(() => store.Metadata.Get("aaaa"));
    }

    [Fact]
    public void Changed_field_fails_checksum()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        store.Metadata.Put(Sample("env1"));
        var path = Path.Combine(store.Layout.MetadataDir, "env1");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"built\"", "\"running\"", StringComparison.Ordinal));
        var ex = Assert.Throws<StoreCorruptionException>(() => store.Metadata.Get("env1"));
        Assert.Equal(path, ex.ItemPath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"env_id\":\"env1\"}")]
    [InlineData("[1,2]")]
    public void Unparsable_metadata_is_corruption(string content)
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        File.WriteAllText(Path.Combine(store.Layout.MetadataDir, "env1"), content);
        Assert.Throws<StoreCorruptionException>(() => store.Metadata.Get("env1"));
    }

    [Fact]
    public void A_valid_file_that_is_not_byte_canonical_still_reads()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        var sample = Sample("env1");
        store.Metadata.Put(sample);
        var path = Path.Combine(store.Layout.MetadataDir, "env1");
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var checksum = node["checksum"]!.GetValue<string>();
        node.Remove("checksum");
        node["checksum"] = checksum; // last, and indented: no longer the bytes that were hashed
        File.WriteAllText(path, node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

        AssertSame(sample, store.Metadata.Get("env1"));
    }

    [Fact]
    public void A_changed_value_fails_whatever_the_layout()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        store.Metadata.Put(Sample("env1"));
        var path = Path.Combine(store.Layout.MetadataDir, "env1");
        // A value beside the checksum member changed, the member itself kept.
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"base_reference\":\"docker.io", "\"base_reference\":\"evil.io", StringComparison.Ordinal));

        Assert.Throws<StoreCorruptionException>(() => store.Metadata.Get("env1"));
    }
}

namespace Scute.Store.Tests;

/// <summary>store/list-index: what list shows, cached with the identity of each metadata file it came from.</summary>
public class ListIndexTests
{
    private static EnvironmentMetadata Sample(string envId, string? name = "web") => new()
    {
        EnvId = envId,
        ShortId = envId[..Math.Min(12, envId.Length)],
        Name = name,
        State = EnvState.Built,
        ManifestPath = "/home/u/pro\nject/scute.toml",
        BaseReference = "docker.io/library/debian:bookworm",
        BaseDigest = Digest.Compute([7]),
        ImageKey = "debian-bookworm",
        Backend = "namespace",
        Layers = [Digest.Compute([1])],
        ManifestJson = "{\"b\":1,\"a\":\"<x>\"}",
        SecurityJson = "{}",
        CreatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 123, TimeSpan.FromHours(2)),
        UpdatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 6, TimeSpan.Zero),
    };

    private static IReadOnlyList<EnvironmentSummary> FromFiles(ScuteStore store) =>
        [.. store.Metadata.List().Select(EnvironmentSummary.Of)];

    [Fact]
    public void List_shows_the_same_environments_with_without_or_with_a_broken_index()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        store.Metadata.Put(Sample("bbbb"));
        store.Metadata.Put(Sample("aaaa", name: null) with { State = EnvState.Archived });
        store.Metadata.Put(Sample("cccc", name: "x\"y") with { Backend = "oci" });
        var expected = FromFiles(store);
        Assert.Equal(["aaaa", "bbbb", "cccc"], expected.Select(s => s.EnvId));

        Assert.True(File.Exists(store.Layout.ListIndexFile));
        var fromIndex = store.Metadata.Summaries();
        Assert.Equal(expected, fromIndex);
        Assert.Equal(TimeSpan.FromHours(2), fromIndex[0].CreatedAt.Offset);

        var index = File.ReadAllBytes(store.Layout.ListIndexFile);
        File.WriteAllBytes(store.Layout.ListIndexFile, index[..(index.Length / 2)]);
        Assert.Equal(expected, store.Metadata.Summaries());

        File.WriteAllText(store.Layout.ListIndexFile, "{\"format\":2,\"rows\":[]}");
        Assert.Equal(expected, store.Metadata.Summaries());

        File.Delete(store.Layout.ListIndexFile);
        Assert.Equal(expected, store.Metadata.Summaries());
    }

    [Fact]
    public void List_takes_a_row_while_its_metadata_file_is_unchanged()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        store.Metadata.Put(Sample("aaaa"));
        var text = File.ReadAllText(store.Layout.ListIndexFile);
        Assert.Contains("\"namespace\"", text, StringComparison.Ordinal);

        // A row that says something else, for the same file: list believes the row (it read no metadata).
        File.WriteAllText(store.Layout.ListIndexFile, text.Replace("\"namespace\"", "\"from-the-index\"", StringComparison.Ordinal));

        Assert.Equal("from-the-index", Assert.Single(store.Metadata.Summaries()).Backend);
    }

    [Fact]
    public void A_metadata_file_replaced_behind_the_index_is_read_again()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        store.Metadata.Put(Sample("aaaa"));
        var oldIndex = File.ReadAllBytes(store.Layout.ListIndexFile);
        store.Metadata.Put(Sample("aaaa") with { Name = "renamed", State = EnvState.Frozen });

        // The index as it was before the rewrite (a scute killed between the two writes, or an older one).
        File.WriteAllBytes(store.Layout.ListIndexFile, oldIndex);

        var shown = Assert.Single(store.Metadata.Summaries());
        Assert.Equal("renamed", shown.Name);
        Assert.Equal(EnvState.Frozen, shown.State);
    }

    [Fact]
    public void A_metadata_file_damaged_in_place_still_fails_list()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        store.Metadata.Put(Sample("aaaa"));
        var path = Path.Combine(store.Layout.MetadataDir, "aaaa");

        File.WriteAllText(path, File.ReadAllText(path).Replace("\"built\"", "\"frozen\"", StringComparison.Ordinal));

        var e = Assert.Throws<StoreCorruptionException>(() => store.Metadata.Summaries());
        Assert.Equal(path, e.ItemPath);
    }

    [Fact]
    public void List_never_writes_the_index()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        store.Metadata.Put(Sample("aaaa"));
        File.Delete(store.Layout.ListIndexFile);

        Assert.Single(store.Metadata.Summaries());

        Assert.False(File.Exists(store.Layout.ListIndexFile));
        Assert.Empty(Directory.GetFileSystemEntries(store.Layout.StagingDir));
    }

    [Fact]
    public void Put_and_delete_keep_one_row_per_metadata_file()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        store.Metadata.Put(Sample("aaaa"));
        store.Metadata.Put(Sample("bbbb"));
        store.Metadata.Put(Sample("aaaa") with { Name = "second" });

        var rows = ListIndex.Read(store.Layout.ListIndexFile);
        Assert.Equal(["aaaa", "bbbb"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("second", rows["aaaa"].Summary.Name);

        store.Metadata.Delete("aaaa");

        Assert.Equal(["bbbb"], ListIndex.Read(store.Layout.ListIndexFile).Keys);
        Assert.Empty(Directory.GetFileSystemEntries(store.Layout.StagingDir));
    }

    [Fact]
    public void A_write_rebuilds_the_rows_of_a_stale_index_and_leaves_out_unreadable_files()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        store.Metadata.Put(Sample("aaaa"));
        store.Metadata.Put(Sample("bbbb"));
        File.Delete(store.Layout.ListIndexFile);
        File.WriteAllText(Path.Combine(store.Layout.MetadataDir, "cccc"), "not json");

        store.Metadata.Put(Sample("dddd"));

        Assert.Equal(["aaaa", "bbbb", "dddd"], ListIndex.Read(store.Layout.ListIndexFile).Keys.Order(StringComparer.Ordinal));
    }
}

using Scute.Store;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests;

public sealed class EnvironmentFinderTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    private static EnvironmentMetadata Meta(string envId, string? name) => new()
    {
        EnvId = envId,
        ShortId = envId[..12],
        Name = name,
        State = EnvState.Built,
        ManifestPath = "/tmp/x/scute.toml",
        BaseReference = "builtin:busybox",
        BaseDigest = Digest.Compute(new MemoryStream([1, 2, 3])),
        ImageKey = "k",
        Backend = "mock",
        ManifestJson = "{}",
        SecurityJson = "{}",
        CreatedAt = FixedClock.Now,
    };

    private const string IdA = "aaaaaaaaaaaa1111111111111111111111111111111111111111111111111111";
    private const string IdA2 = "aaaaaaaaaaaa2222222222222222222222222222222222222222222222222222";
    private const string IdB = "bbbbbbbbbbbb3333333333333333333333333333333333333333333333333333";

    private ScuteStore StoreWithThree()
    {
        var store = ScuteStore.OpenOrCreate(project.Store);
        store.Metadata.Put(Meta(IdA, "web"));
        store.Metadata.Put(Meta(IdA2, null));
        store.Metadata.Put(Meta(IdB, "db"));
        return store;
    }

    [Fact]
    public void Finds_by_full_id()
    {
        Assert.Equal(IdA2, EnvironmentFinder.Find(StoreWithThree(), IdA2).EnvId);
    }

    [Fact]
    public void Finds_by_short_id_when_unique()
    {
        Assert.Equal(IdB, EnvironmentFinder.Find(StoreWithThree(), IdB[..12]).EnvId);
    }

    [Fact]
    public void Finds_by_a_longer_unique_prefix()
    {
        Assert.Equal(IdA, EnvironmentFinder.Find(StoreWithThree(), IdA[..14]).EnvId);
    }

    [Fact]
    public void Finds_by_name()
    {
        Assert.Equal(IdB, EnvironmentFinder.Find(StoreWithThree(), "db").EnvId);
    }

    [Fact]
    public void Ambiguous_prefix_is_refused()
    {
        var e = Assert.Throws<EngineException>(() => EnvironmentFinder.Find(StoreWithThree(), IdA[..12]));

        Assert.Contains("2 environments", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("bbbbbb")]
    [InlineData("bbbbbbbbbbbb4")]
    public void Unknown_reference_is_refused_naming_it(string reference)
    {
        var e = Assert.Throws<EngineException>(() => EnvironmentFinder.Find(StoreWithThree(), reference));

        Assert.Contains(reference, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_a_store_that_does_not_exist_is_refused_without_creating_it()
    {
        Assert.Throws<EngineException>(() => project.Context.OpenExistingStore());
        Assert.False(Directory.Exists(project.Store));
    }

    [Fact]
    public void Inspect_and_list_read_the_store()
    {
        StoreWithThree();

        Assert.Equal(IdB, InspectOperation.Run(project.Context, "db").EnvId);
        Assert.Equal(3, ListOperation.Run(project.Context).Count);
        Assert.Empty(ListOperation.Run(new EngineContext(Path.Combine(project.Root, "no-store"))));
    }

    [Fact]
    public void A_full_id_reads_only_its_own_metadata_file()
    {
        var store = StoreWithThree();
        File.WriteAllText(store.Layout.MetadataPath(IdA2), "corrupt");

        Assert.Equal(IdB, EnvironmentFinder.Find(store, IdB).EnvId);
        Assert.Equal(IdA, EnvironmentFinder.Find(store, "web").EnvId);
        Assert.Throws<StoreCorruptionException>(() => EnvironmentFinder.Find(store, IdA2));
    }

    [Fact]
    public void A_name_is_found_through_its_hint()
    {
        var store = StoreWithThree();

        Assert.Equal(IdB, File.ReadAllText(store.Layout.NamePath("db")));
        // Another environment's file that cannot be read does not matter: only the named one is read.
        File.WriteAllText(store.Layout.MetadataPath(IdA2), "corrupt");
        Assert.Equal(IdB, EnvironmentFinder.Find(store, "db").EnvId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(IdA)]
    [InlineData("garbage")]
    public void A_missing_or_wrong_name_hint_falls_back_to_the_names_of_every_file(string? hint)
    {
        var store = StoreWithThree();
        var path = store.Layout.NamePath("db");
        if (hint is null)
        {
            Directory.Delete(store.Layout.NamesDir, recursive: true);
        }
        else
        {
            File.WriteAllText(path, hint);
        }

        Assert.Equal(IdB, EnvironmentFinder.Find(store, "db").EnvId);
        Assert.Equal(hint is null, !File.Exists(path)); // a lookup never writes
    }

    [Fact]
    public void A_renamed_environment_is_found_by_its_new_name_only()
    {
        StoreWithThree();

        Scute.Engine.Operations.RenameOperation.Run(project.Context, "db", "data");
        var store = ScuteStore.Open(project.Store);

        Assert.Equal(IdB, EnvironmentFinder.Find(store, "data").EnvId);
        Assert.Throws<EngineException>(() => EnvironmentFinder.Find(store, "db"));
        var e = Assert.Throws<EngineException>(() => Scute.Engine.Operations.RenameOperation.Run(project.Context, "web", "data"));
        Assert.Contains("already used by environment bbbbbbbbbbbb", e.Message, StringComparison.Ordinal);
    }
}

using Scute.Store;

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
        var store = ScuteStore.Open(project.Store, create: true);
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
        Assert.Throws<EngineException>(() => EnvironmentFinder.OpenExisting(project.Store));
        Assert.False(Directory.Exists(project.Store));
    }

    [Fact]
    public void Inspect_and_list_read_the_store()
    {
        StoreWithThree();

        Assert.Equal(IdB, InspectOperation.Run(project.Store, "db").EnvId);
        Assert.Equal(3, ListOperation.Run(project.Store).Count);
        Assert.Empty(ListOperation.Run(Path.Combine(project.Root, "no-store")));
    }
}

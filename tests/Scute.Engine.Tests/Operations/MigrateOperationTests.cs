using Scute.Engine.Lifecycle;
using Scute.Store;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Operations;

/// <summary>migrate: format 1 is current; another format, or no store, is refused in one line and nothing is written.</summary>
public sealed class MigrateOperationTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    [Fact]
    public void A_current_empty_store_is_reported_current()
    {
        ScuteStore.OpenOrCreate(project.Store);

        Assert.Equal("store format 1 is current", MigrateOperation.Run(project.Context));
    }

    [Fact]
    public void Without_a_store_migrate_is_refused_and_creates_none()
    {
        var e = Assert.Throws<EngineException>(() => MigrateOperation.Run(project.Context));

        Assert.Equal($"no store at {project.Store} yet (scute build creates it)", e.Message);
        Assert.False(Directory.Exists(project.Store));
    }

    [Theory]
    [InlineData(2, "newer than this scute supports (1); use a newer scute")]
    [InlineData(0, "which no scute release wrote; cannot migrate it")]
    public void Another_format_is_refused_and_the_version_file_is_kept(int version, string said)
    {
        var layout = ScuteStore.OpenOrCreate(project.Store).Layout;
        var text = $"{{\"format_version\":{version}}}";
        File.WriteAllText(layout.VersionFile, text);

        var e = Assert.Throws<StoreException>(() => MigrateOperation.Run(project.Context));

        Assert.Equal($"store at {layout.Root} has format version {version}, {said}", e.Message);
        Assert.Equal(text, File.ReadAllText(layout.VersionFile));
    }
}

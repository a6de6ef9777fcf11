using Scute.Engine.Lifecycle;
using Scute.Store;
using static Scute.Engine.Tests.Lifecycle.OperationFixture;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Operations;

/// <summary>rename: only the name changes; an invalid or taken name, or an unknown environment, changes nothing.</summary>
public sealed class RenameOperationTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    [SkippableFact]
    public void Rename_changes_the_name_and_nothing_else()
    {
        var (built, store) = BuildWeb(project);
        File.WriteAllText(Path.Combine(Upper(store, built.EnvId), "f"), "x");
        var snapshot = CommitOperation.Run(project.Context, "web", null);
        var before = store.Metadata.Get(built.EnvId);

        var renamed = RenameOperation.Run(project.Context, "web", "api");

        var after = store.Metadata.Get(built.EnvId);
        Assert.Equal("api", renamed.Name);
        Assert.Equal(Fields(before with { Name = "api" }), Fields(after));
        Assert.Equal([snapshot.Layer], after.Snapshots);
        Assert.Equal(["f=x"], Tree(Upper(store, built.EnvId)));
        Assert.Equal(built.EnvId, EnvironmentFinder.Find(store, "api").EnvId);
        Assert.Throws<EngineException>(() => EnvironmentFinder.Find(store, "web"));
    }

    [SkippableFact]
    public void Renaming_to_its_own_name_is_allowed()
    {
        var (built, _) = BuildWeb(project);

        Assert.Equal(built.EnvId, RenameOperation.Run(project.Context, "web", "web").EnvId);
    }

    [SkippableTheory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("dot.name")]
    [InlineData("ünï")]
    public void An_invalid_name_is_refused_and_changes_nothing(string name)
    {
        var (built, store) = BuildWeb(project);
        var metadata = MetadataBytes(store, built.EnvId);

        var e = Assert.Throws<EngineException>(() => RenameOperation.Run(project.Context, "web", name));

        Assert.Equal($"environment name '{name}' is not valid (accepted: 1 to 64 of A-Z a-z 0-9 _ -)", e.Message);
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
    }

    [SkippableFact]
    public void A_name_of_65_characters_is_refused()
    {
        BuildWeb(project);

        Assert.Throws<EngineException>(() => RenameOperation.Run(project.Context, "web", new string('a', 65)));
        RenameOperation.Run(project.Context, "web", new string('a', 64));
    }

    [SkippableFact]
    public void A_name_taken_by_another_environment_is_refused_and_changes_neither()
    {
        var (web, store) = BuildWeb(project);
        TestProject.RequireBusybox();
        var db = project.Build(project.WriteManifest("db", "\n[runtime]\nbackend = \"mock\"\nnetwork_isolation = true\n"), name: "db");
        var webBytes = MetadataBytes(store, web.EnvId);
        var dbBytes = MetadataBytes(store, db.EnvId);

        var e = Assert.Throws<EngineException>(() => RenameOperation.Run(project.Context, "web", "db"));

        Assert.Equal($"the name 'db' is already used by environment {db.ShortId}", e.Message);
        Assert.Equal(webBytes, MetadataBytes(store, web.EnvId));
        Assert.Equal(dbBytes, MetadataBytes(store, db.EnvId));
    }

    [SkippableFact]
    public void Renaming_an_unknown_environment_is_refused_naming_it()
    {
        BuildWeb(project);

        var e = Assert.Throws<EngineException>(() => RenameOperation.Run(project.Context, "nope", "other"));

        Assert.Equal(NoEnvironment(project, "nope"), e.Message);
    }
}

using Scute.Engine.Lifecycle;
using Scute.Store;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests;

/// <summary>Building a manifest whose environment exists: say what exists, never rename it silently, never call an archived one built.</summary>
public sealed class ExistingIdentityTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    [SkippableFact]
    public void A_second_build_of_the_same_manifest_reports_the_existing_environment()
    {
        TestProject.RequireBusybox();
        var manifest = project.WriteManifest("app", TestProject.MockRuntime);
        var first = project.Build(manifest, name: "web");

        var second = project.Build(manifest);

        Assert.False(first.Existed);
        Assert.True(second.Existed);
        Assert.Equal(first.EnvId, second.EnvId);
        Assert.Equal("web", second.Name);
        Assert.Equal(EnvState.Built, second.State);
    }

    [SkippableFact]
    public void Another_name_for_an_existing_environment_is_refused_and_points_to_rename()
    {
        TestProject.RequireBusybox();
        var manifest = project.WriteManifest("app", TestProject.MockRuntime);
        var first = project.Build(manifest, name: "web");

        var e = Assert.Throws<EngineException>(() => project.Build(manifest, name: "other"));

        Assert.Contains("exists already as 'web'", e.Message, StringComparison.Ordinal);
        Assert.Contains("scute rename web other", e.Message, StringComparison.Ordinal);
        var store = ScuteStore.Open(project.Store);
        Assert.Equal("web", store.Metadata.Get(first.EnvId).Name);
    }

    [SkippableFact]
    public void An_archived_environment_is_not_reported_built()
    {
        TestProject.RequireBusybox();
        var manifest = project.WriteManifest("app", TestProject.MockRuntime);
        var first = project.Build(manifest, name: "web");
        StateChangeOperation.Archive(project.Context, "web");

        var e = Assert.Throws<EngineException>(() => project.Build(manifest));

        Assert.Contains("is archived", e.Message, StringComparison.Ordinal);
        Assert.Contains($"scute destroy {first.ShortId}", e.Message, StringComparison.Ordinal);
        var store = ScuteStore.Open(project.Store);
        Assert.Equal(EnvState.Archived, store.Metadata.Get(first.EnvId).State);
    }

    [SkippableFact]
    public void A_frozen_environment_is_reported_frozen()
    {
        TestProject.RequireBusybox();
        var manifest = project.WriteManifest("app", TestProject.MockRuntime);
        project.Build(manifest, name: "web");
        StateChangeOperation.Freeze(project.Context, "web");

        var again = project.Build(manifest);

        Assert.True(again.Existed);
        Assert.Equal(EnvState.Frozen, again.State);
    }
}

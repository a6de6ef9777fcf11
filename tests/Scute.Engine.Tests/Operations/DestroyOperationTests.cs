using Scute.Store;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Operations;

public sealed class DestroyOperationTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    [SkippableFact]
    public void Destroy_removes_metadata_and_the_environment_folder()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("app", TestProject.MockRuntime), name: "web");
        var store = ScuteStore.Open(project.Store);
        var envDir = store.Layout.EnvDir(built.EnvId);
        File.WriteAllText(Path.Combine(envDir, "upper", "state"), "changes");
        // Overlay work dirs are left mode 000 by the kernel.
        Directory.CreateDirectory(Path.Combine(envDir, "work", "work"));
        File.SetUnixFileMode(Path.Combine(envDir, "work", "work"), UnixFileMode.None);

        var destroyed = DestroyOperation.Run(project.Context, "web");

        Assert.Equal(built.EnvId, destroyed.EnvId);
        Assert.False(store.Metadata.TryGet(built.EnvId, out _));
        Assert.False(Directory.Exists(envDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.StagingDir));
        Assert.Throws<EngineException>(() => EnvironmentFinder.Find(store, "web"));
    }

    [SkippableFact]
    public void Destroy_deletes_the_environments_symlinks_never_what_they_point_to()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("app", TestProject.MockRuntime), name: "web");
        var envDir = ScuteStore.Open(project.Store).Layout.EnvDir(built.EnvId);
        var host = Path.Combine(project.Root, "host");
        Directory.CreateDirectory(Path.Combine(host, "sub"));
        File.WriteAllText(Path.Combine(host, "sub", "keep"), "host");
        File.CreateSymbolicLink(Path.Combine(envDir, "upper", "escape"), host);
        File.CreateSymbolicLink(Path.Combine(envDir, "upper", "escape-file"), Path.Combine(host, "sub", "keep"));
        Directory.CreateDirectory(Path.Combine(envDir, "work", "work"));
        File.CreateSymbolicLink(Path.Combine(envDir, "work", "work", "up"), Path.Combine(host, "sub"));
        File.SetUnixFileMode(Path.Combine(envDir, "work", "work"), UnixFileMode.None);

        DestroyOperation.Run(project.Context, "web");

        Assert.False(Directory.Exists(envDir));
        Assert.Equal("host", File.ReadAllText(Path.Combine(host, "sub", "keep")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(Path.Combine(host, "sub")));
    }

    [SkippableFact]
    public void Destroy_keeps_other_environments()
    {
        TestProject.RequireBusybox();
        var a = project.Build(project.WriteManifest("a", TestProject.MockRuntime));
        var b = project.Build(project.WriteManifest("b", "\n[runtime]\nbackend = \"mock\"\nnetwork_isolation = true\n"));

        DestroyOperation.Run(project.Context, a.ShortId);

        var left = Assert.Single(ListOperation.Run(project.Context));
        Assert.Equal(b.EnvId, left.EnvId);
    }

    [Fact]
    public void Destroy_of_an_unknown_environment_is_refused()
    {
        ScuteStore.OpenOrCreate(project.Store);

        Assert.Throws<EngineException>(() => DestroyOperation.Run(project.Context, "nope"));
    }
}

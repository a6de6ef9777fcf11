using Scute.Engine.Lifecycle;
using Scute.Store;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Lifecycle;

public sealed class RestoreVerificationTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    [SkippableFact]
    public void A_snapshot_object_with_bytes_after_the_tar_end_is_refused_and_the_upper_dir_is_kept()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("app", TestProject.MockRuntime), name: "web");
        var store = ScuteStore.Open(project.Store);
        var upper = Path.Combine(store.Layout.EnvDir(built.EnvId), "upper");
        File.WriteAllText(Path.Combine(upper, "committed"), "v1");
        var snapshot = CommitOperation.Run(project.Context, "web", note: null);
        File.WriteAllText(Path.Combine(upper, "after-commit"), "v2");
        // Past the tar's end marker: the extractor never reads it, only the digest check does.
        var path = store.Layout.ObjectPath(snapshot.TarDigest);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        File.AppendAllText(path, "tampered");

        Assert.Throws<StoreCorruptionException>(() => RestoreOperation.Run(project.Context, "web", snapshot.Layer.ToString()));

        Assert.Equal("v2", File.ReadAllText(Path.Combine(upper, "after-commit")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.StagingDir));
    }

    [SkippableFact]
    public void A_snapshot_of_no_changes_restores_to_an_empty_upper_dir()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("app", TestProject.MockRuntime), name: "web");
        var store = ScuteStore.Open(project.Store);
        var upper = Path.Combine(store.Layout.EnvDir(built.EnvId), "upper");
        var snapshot = CommitOperation.Run(project.Context, "web", note: null);
        File.WriteAllText(Path.Combine(upper, "after-commit"), "v2");

        RestoreOperation.Run(project.Context, "web", snapshot.Layer.ToString());

        Assert.Empty(Directory.EnumerateFileSystemEntries(upper));
    }
}

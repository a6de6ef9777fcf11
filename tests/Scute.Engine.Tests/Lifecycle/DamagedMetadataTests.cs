using Scute.Engine.Lifecycle;
using Scute.Store;
using static Scute.Engine.Tests.Lifecycle.OperationFixture;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Lifecycle;

/// <summary>Every operation that reads an environment re-hashes its metadata: a damaged file is a store error naming it, and nothing is changed.</summary>
public sealed class DamagedMetadataTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    public static TheoryData<string> Operations() => ["commit", "restore", "rename", "freeze", "archive", "destroy", "diff", "snapshots", "stop"];

    [SkippableTheory]
    [MemberData(nameof(Operations))]
    public void A_damaged_metadata_file_is_refused_naming_it_and_nothing_changes(string operation)
    {
        var (built, store) = BuildWeb(project);
        File.WriteAllText(Path.Combine(Upper(store, built.EnvId), "f"), "x");
        var snapshot = CommitOperation.Run(project.Context, "web", null);
        var path = store.Layout.MetadataPath(built.EnvId);
        var text = File.ReadAllText(path);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        // Same shape, one value changed: only the checksum can tell.
        File.WriteAllText(path, text.Replace("\"state\":\"built\"", "\"state\":\"frozen\"", StringComparison.Ordinal));
        Assert.NotEqual(text, File.ReadAllText(path));
        var damaged = File.ReadAllBytes(path);
        Action act = operation switch
        {
            "commit" => () => CommitOperation.Run(project.Context, "web", null),
            "restore" => () => RestoreOperation.Run(project.Context, "web", snapshot.Layer.ToString()),
            "rename" => () => RenameOperation.Run(project.Context, "web", "api"),
            "freeze" => () => StateChangeOperation.Freeze(project.Context, "web"),
            "archive" => () => StateChangeOperation.Archive(project.Context, "web"),
            "destroy" => () => DestroyOperation.Run(project.Context, "web"),
            "diff" => () => DiffOperation.Run(project.Context, "web"),
            "snapshots" => () => SnapshotsOperation.Run(project.Context, "web"),
            _ => () => StopOperation.Run(project.Context, "web", TimeSpan.Zero),
        };

        var e = Assert.Throws<StoreCorruptionException>(act);

        Assert.Equal(path, e.ItemPath);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(damaged, File.ReadAllBytes(path));
        Assert.Equal(["f=x"], Tree(Upper(store, built.EnvId)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.StagingDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.WalDir));
    }
}

using Scute.Engine.Lifecycle;
using Scute.Store;
using static Scute.Engine.Tests.Lifecycle.OperationFixture;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Operations;

/// <summary>snapshots: every snapshot oldest first, the current one marked; a snapshot is named by a unique digest prefix of 6 or more.</summary>
public sealed class SnapshotsOperationTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    [SkippableFact]
    public void A_new_environment_has_no_snapshots()
    {
        BuildWeb(project);

        Assert.Empty(SnapshotsOperation.Run(project.Context, "web"));
    }

    [SkippableFact]
    public void Snapshots_are_listed_oldest_first_with_their_notes_and_the_current_one_marked()
    {
        var (built, store) = BuildWeb(project);
        var upper = Upper(store, built.EnvId);
        File.WriteAllText(Path.Combine(upper, "f"), "1");
        var first = CommitOperation.Run(project.Context, "web", "one", new FixedClock());
        File.WriteAllText(Path.Combine(upper, "f"), "2");
        var second = CommitOperation.Run(project.Context, "web", null);
        RestoreOperation.Run(project.Context, "web", first.Layer.ToString());
        var metadata = MetadataBytes(store, built.EnvId);

        var listed = SnapshotsOperation.Run(project.Context, "web");

        Assert.Equal([first.Layer, second.Layer], listed.Select(s => s.Layer));
        Assert.Equal([true, false], listed.Select(s => s.Current));
        Assert.Equal(["one", null], listed.Select(s => s.Note));
        Assert.Equal(FixedClock.Now, listed[0].CreatedAt);
        Assert.Equal((first.TarDigest, first.Parent), (listed[0].TarDigest, listed[0].Parent));
        Assert.Equal(first.Layer, listed[1].Parent);
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
    }

    [SkippableFact]
    public void A_snapshot_is_found_by_its_digest_its_hex_or_a_prefix_of_six()
    {
        var (built, store) = BuildWeb(project);
        var snapshot = CommitOperation.Run(project.Context, "web", null).Layer;
        var env = store.Metadata.Get(built.EnvId);

        Assert.Equal(snapshot, SnapshotsOperation.Resolve(env, snapshot.ToString()));
        Assert.Equal(snapshot, SnapshotsOperation.Resolve(env, snapshot.Hex));
        Assert.Equal(snapshot, SnapshotsOperation.Resolve(env, snapshot.Hex[..6].ToUpperInvariant()));
        Assert.Equal(snapshot, SnapshotsOperation.Resolve(env, "sha256:" + snapshot.Hex[..6]));
    }

    [SkippableFact]
    public void A_prefix_shorter_than_six_or_matching_none_is_refused_naming_the_snapshots_command()
    {
        var (built, store) = BuildWeb(project);
        var snapshot = CommitOperation.Run(project.Context, "web", null).Layer;
        var env = store.Metadata.Get(built.EnvId);
        var other = snapshot.Hex[0] == '0' ? "111111" : "000000";

        var shortPrefix = Assert.Throws<EngineException>(() => SnapshotsOperation.Resolve(env, snapshot.Hex[..5]));
        var none = Assert.Throws<EngineException>(() => SnapshotsOperation.Resolve(env, other));
        var layer = Assert.Throws<EngineException>(() => SnapshotsOperation.Resolve(env, env.Layers[0].ToString()));

        Assert.Equal($"environment {built.ShortId} has no snapshot '{snapshot.Hex[..5]}' (see scute snapshots web)", shortPrefix.Message);
        Assert.Equal($"environment {built.ShortId} has no snapshot '{other}' (see scute snapshots web)", none.Message);
        Assert.Contains("has no snapshot", layer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_prefix_of_two_snapshots_is_refused_as_ambiguous()
    {
        var a = Digest.Parse("sha256:abcdef" + new string('1', 58));
        var b = Digest.Parse("sha256:abcdef" + new string('2', 58));
        var env = Lifecycle.StateMachineTests.Env(EnvState.Built) with { Snapshots = [a, b] };

        var e = Assert.Throws<EngineException>(() => SnapshotsOperation.Resolve(env, "abcdef"));

        Assert.Equal("'abcdef' matches 2 snapshots; give more of the digest", e.Message);
        Assert.Equal(b, SnapshotsOperation.Resolve(env, "abcdef2"));
    }

    [SkippableFact]
    public void Snapshots_of_an_unknown_environment_are_refused_naming_it()
    {
        BuildWeb(project);

        var e = Assert.Throws<EngineException>(() => SnapshotsOperation.Run(project.Context, "nope"));

        Assert.Equal(NoEnvironment(project, "nope"), e.Message);
    }
}

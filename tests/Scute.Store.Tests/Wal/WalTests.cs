using System.Text;
using Scute.Store.Wal;

namespace Scute.Store.Tests.Wal;

public sealed class WalTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "scute-wal-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> warnings = [];
    private readonly ScuteStore store;

    public WalTests()
    {
        store = ScuteStore.OpenOrCreate(root, new StoreOptions { Warn = warnings.Add });
    }

    public void Dispose()
    {
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Remove_step_deletes_what_the_operation_created()
    {
        var dir = Path.Combine(store.Layout.EnvsDir, "new");
        Crash(op =>
        {
            op.RemoveOnRollback(dir);
            Directory.CreateDirectory(Path.Combine(dir, "upper"));
            File.WriteAllText(Path.Combine(dir, "upper", "f"), "x");
        });

        Assert.Equal(1, store.Wal.Recover());
        Assert.False(Directory.Exists(dir));
        Assert.Empty(store.Wal.Pending());
    }

    [Fact]
    public void Rename_step_moves_the_folder_back()
    {
        var upper = Path.Combine(store.Layout.EnvsDir, "e", "upper");
        Directory.CreateDirectory(upper);
        File.WriteAllText(Path.Combine(upper, "kept"), "old state");
        var aside = Path.Combine(store.CreateStagingDir(), "old");
        Crash(op =>
        {
            op.MoveBackOnRollback(aside, upper);
            Directory.Move(upper, aside);
        });

        store.Wal.Recover();

        Assert.Equal("old state", File.ReadAllText(Path.Combine(upper, "kept")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.StagingDir));
    }

    [Fact]
    public void Metadata_steps_restore_old_bytes_and_delete_new_files()
    {
        var existing = Metadata("a", "first");
        store.Metadata.Put(existing);
        Crash(op =>
        {
            op.RestoreMetadataOnRollback("a");
            store.Metadata.Put(existing with { Name = "second" });
            op.RestoreMetadataOnRollback("b");
            store.Metadata.Put(Metadata("b", "new"));
        });

        store.Wal.Recover();

        Assert.Equal("first", store.Metadata.Get("a").Name);
        Assert.False(store.Metadata.TryGet("b", out _));
    }

    [Fact]
    public void Steps_replay_newest_first_so_a_swap_is_undone()
    {
        // restore's swap: new upper made in staging, old upper moved aside, new moved in.
        var upper = Path.Combine(store.Layout.EnvsDir, "e", "upper");
        Directory.CreateDirectory(upper);
        File.WriteAllText(Path.Combine(upper, "state"), "before");
        var staging = store.CreateStagingDir();
        var fresh = Path.Combine(staging, "upper");
        Crash(op =>
        {
            op.RemoveOnRollback(staging);
            Directory.CreateDirectory(fresh);
            File.WriteAllText(Path.Combine(fresh, "state"), "after");
            op.MoveBackOnRollback(Path.Combine(staging, "old"), upper);
            Directory.Move(upper, Path.Combine(staging, "old"));
            op.MoveBackOnRollback(upper, fresh);
            Directory.Move(fresh, upper);
        });

        store.Wal.Recover();

        Assert.Equal("before", File.ReadAllText(Path.Combine(upper, "state")));
        Assert.False(Directory.Exists(staging));
    }

    [Fact]
    public void Replaying_twice_gives_the_same_result()
    {
        var dir = Path.Combine(store.Layout.EnvsDir, "x");
        var aside = Path.Combine(store.Layout.EnvsDir, "x-aside");
        Directory.CreateDirectory(dir);
        string walFile = "";
        Crash(op =>
        {
            op.MoveBackOnRollback(aside, dir);
            Directory.Move(dir, aside);
            op.RemoveOnRollback(Path.Combine(store.Layout.EnvsDir, "y"));
            Directory.CreateDirectory(Path.Combine(store.Layout.EnvsDir, "y"));
            walFile = op.FilePath;
        });
        var saved = File.ReadAllBytes(walFile);

        store.Wal.Recover();
        File.WriteAllBytes(walFile, saved); // as if the process died just before removing the entry
        store.Wal.Recover();

        Assert.True(Directory.Exists(dir));
        Assert.False(Directory.Exists(aside));
        Assert.False(Directory.Exists(Path.Combine(store.Layout.EnvsDir, "y")));
        Assert.Empty(store.Wal.Pending());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"op_id":"x","op":"build","pid":1,"started_at":"2026-01-01T00:00:00Z","steps":[{"kind":"remove_path","path":"../../etc"}]}""")]
    [InlineData("""{"op_id":"x","op":"build","pid":1,"started_at":"2026-01-01T00:00:00Z","steps":[{"kind":"remove_path","path":"/etc"}]}""")]
    [InlineData("""{"op_id":"x","op":"build","pid":1,"started_at":"2026-01-01T00:00:00Z","steps":[{"kind":"explode"}]}""")]
    [InlineData("""{"op_id":"x","op":"build","pid":1,"started_at":"2026-01-01T00:00:00Z","steps":[{"kind":"restore_metadata","env_id":"../a","content":"AA=="}]}""")]
    public void A_corrupt_entry_is_reported_and_removed_without_acting(string content)
    {
        var victim = Path.Combine(store.Layout.EnvsDir, "victim");
        Directory.CreateDirectory(victim);
        File.WriteAllText(Path.Combine(store.Layout.WalDir, "0000000000001-1-bad.json"), content, Encoding.UTF8);

        using (store.LockForChange())
        {
        }

        Assert.Empty(store.Wal.Pending());
        Assert.Contains(warnings, w => w.Contains("corrupt", StringComparison.Ordinal));
        Assert.True(Directory.Exists(victim));
    }

    [Fact]
    public void A_completed_operation_leaves_nothing_and_a_disposed_one_rolls_back_at_once()
    {
        var made = Path.Combine(store.Layout.EnvsDir, "done");
        using (var op = store.Wal.Begin("build"))
        {
            op.RemoveOnRollback(made);
            Directory.CreateDirectory(made);
            op.Complete();
        }

        var failed = Path.Combine(store.Layout.EnvsDir, "failed");
        using (var op = store.Wal.Begin("build"))
        {
            op.RemoveOnRollback(failed);
            Directory.CreateDirectory(failed);
        }

        Assert.True(Directory.Exists(made));
        Assert.False(Directory.Exists(failed));
        Assert.Empty(store.Wal.Pending());
    }

    [Fact]
    public void A_step_that_cannot_be_undone_keeps_the_entry_and_stops_replay()
    {
        var dir = Path.Combine(store.Layout.EnvsDir, "d");
        var aside = Path.Combine(store.Layout.EnvsDir, "d-aside");
        var early = Path.Combine(store.Layout.EnvsDir, "early");
        Crash(op =>
        {
            op.RemoveOnRollback(early);
            Directory.CreateDirectory(early);
            op.MoveBackOnRollback(aside, dir);
            Directory.CreateDirectory(aside);
        });
        Directory.CreateDirectory(dir); // both exist: the rename back must not overwrite

        store.Wal.Recover();

        Assert.Single(store.Wal.Pending());
        Assert.True(Directory.Exists(early));
        Assert.Contains(warnings, w => w.Contains("kept for the next command", StringComparison.Ordinal));
    }

    [Fact]
    public void Recovery_warns_through_the_options_of_the_store_that_recovers_and_no_other()
    {
        var made = Path.Combine(store.Layout.EnvsDir, "made");
        Crash(op =>
        {
            op.RemoveOnRollback(made);
            Directory.CreateDirectory(made);
        });
        var otherWarnings = new List<string>();
        var recovering = new List<string>();
        _ = ScuteStore.Open(root, new StoreOptions { Warn = otherWarnings.Add });
        var recoverer = ScuteStore.Open(root, new StoreOptions { Warn = recovering.Add });

        using (recoverer.LockForChange())
        {
        }

        Assert.Contains(recovering, w => w.StartsWith("rolled back an interrupted test of env", StringComparison.Ordinal));
        Assert.Empty(otherWarnings);
        Assert.Empty(warnings);
    }

    [Fact]
    public void A_rollback_that_fails_at_dispose_warns_through_the_store_that_began_it()
    {
        var dir = Path.Combine(store.Layout.EnvsDir, "d");
        var aside = Path.Combine(store.Layout.EnvsDir, "d-aside");
        var other = new List<string>();
        var began = ScuteStore.Open(root, new StoreOptions { Warn = other.Add });
        using (var op = began.Wal.Begin("test", "env"))
        {
            op.MoveBackOnRollback(aside, dir);
            Directory.CreateDirectory(aside);
            Directory.CreateDirectory(dir); // both exist: the rename back must not overwrite
        }

        Assert.Contains(other, w => w.Contains("kept for the next command", StringComparison.Ordinal));
        Assert.Empty(warnings);
    }

    /// <summary>Runs the steps and "crashes": the entry stays on disk as a killed process would leave it.</summary>
    private void Crash(Action<WalOperation> steps)
    {
        var op = store.Wal.Begin("test", "env");
        steps(op);
        GC.SuppressFinalize(op); // never disposed, never completed
    }

    private static EnvironmentMetadata Metadata(string id, string name) => new()
    {
        EnvId = id,
        ShortId = id,
        Name = name,
        State = EnvState.Built,
        ManifestPath = "/m",
        BaseReference = "builtin:busybox",
        BaseDigest = Digest.Compute([1]),
        ImageKey = "k",
        Backend = "mock",
        ManifestJson = "{}",
        SecurityJson = "{}",
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}

using Scute.Store.Gc;
using Scute.Store.Verification;
using Scute.Store.Wal;
using Scute.Tests.Shared;

namespace Scute.Store.Tests.Gc;

/// <summary>The store's collection against a real store on disk: what it keeps, what it removes, and in which order.</summary>
public sealed class StoreCollectorTests : IDisposable
{
    private static readonly DateTime Later = DateTime.UtcNow.AddYears(1);
    private readonly GcStore s = new();

    public void Dispose() => s.Dispose();

    [Theory]
    [InlineData(EnvState.Defined)]
    [InlineData(EnvState.Built)]
    [InlineData(EnvState.Running)]
    [InlineData(EnvState.Frozen)]
    [InlineData(EnvState.Archived)]
    public void Everything_an_environment_reaches_is_kept_in_every_state(EnvState state)
    {
        var baseLayer = s.Layer("base", kind: LayerKind.Base);
        var top = s.Layer("deps", baseLayer);
        s.Image("img", baseLayer);
        s.Environment("env1", state, "img", baseLayer, top);

        var report = Collect(dryRun: false, CancellationToken.None, stagingCutoff: Later);

        Assert.Empty(report.Removed);
        Assert.Equal(6, report.Kept); // 2 layers, 2 objects, 1 image, 1 env folder
        Assert.Empty(StoreVerifier.Verify(s.Store).Problems);
    }

    [Fact]
    public void Unreachable_things_are_removed_referrers_first_and_the_store_still_verifies()
    {
        var keptBase = s.Layer("base", kind: LayerKind.Base);
        s.Image("img", keptBase);
        s.Environment("live", EnvState.Built, "img", keptBase);
        var oldBase = s.Layer("old base", kind: LayerKind.Base);
        var oldTop = s.Layer("old top", oldBase);
        var sharesKeptBase = s.Layer("child of kept", keptBase);
        var stray = s.Object("stray object");
        var oldImage = s.Image("old-img", oldBase);
        var orphan = s.EnvFolder("orphan");
        var staging = Directory.CreateDirectory(Path.Combine(s.Layout.StagingDir, "leftover")).FullName;

        var report = Collect(dryRun: false, CancellationToken.None, stagingCutoff: Later);

        var order = report.Removed.Select(r => r.Node).ToList();
        // Staging scratch is emptied by the lock's recovery before gc marks anything.
        Assert.False(Directory.Exists(staging));
        Assert.Equal([new GcNode(GcKind.EnvFolder, "orphan"), new GcNode(GcKind.Image, "old-img")], order.Take(2));
        Assert.True(order.IndexOf(new GcNode(GcKind.Layer, oldTop.ToString())) < order.IndexOf(new GcNode(GcKind.Layer, oldBase.ToString())));
        Assert.Equal(3, report.Count(GcKind.Layer));
        Assert.Equal(4, report.Count(GcKind.Object)); // old base, old top, child of kept, stray
        Assert.Contains(stray.ToString(), report.Removed.Select(r => r.Node.Id));
        Assert.DoesNotContain(sharesKeptBase, s.Store.Layers.List());
        Assert.Equal([keptBase], s.Store.Layers.List());
        Assert.False(Directory.Exists(oldImage));
        Assert.False(Directory.Exists(orphan));
        Assert.False(Directory.Exists(staging));
        Assert.True(Directory.Exists(s.Layout.EnvDir("live")));
        Assert.True(Directory.Exists(s.Layout.ImageDir("img")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(s.Layout.StagingDir));
        Assert.Empty(StoreVerifier.Verify(s.Store).Problems);
    }

    [Fact]
    public void Dry_run_lists_the_same_things_and_removes_nothing()
    {
        s.Layer("unreferenced");
        s.EnvFolder("orphan");
        s.Store.LockForChange().Dispose(); // the lock file exists before, as in any used store
        var before = Directory.EnumerateFileSystemEntries(s.Root, "*", SearchOption.AllDirectories).Count();

        var dry = Collect(dryRun: true, CancellationToken.None, stagingCutoff: Later);
        var after = Directory.EnumerateFileSystemEntries(s.Root, "*", SearchOption.AllDirectories).Count();
        var real = Collect(dryRun: false, CancellationToken.None, stagingCutoff: Later);

        Assert.Equal(before, after);
        Assert.Equal(3, dry.Removed.Count);
        Assert.Equal(dry.Removed.Select(r => r.Node), real.Removed.Select(r => r.Node));
        Assert.True(dry.Removed.Single(r => r.Node.Kind == GcKind.Object).Bytes > 0);
    }

    [Fact]
    public void Removing_an_env_folder_deletes_its_symlinks_never_what_they_point_to()
    {
        var orphan = s.EnvFolder("orphan");
        var host = Path.Combine(s.Root, "..", Path.GetFileName(s.Root) + "-host");
        try
        {
            Directory.CreateDirectory(Path.Combine(host, "sub"));
            File.WriteAllText(Path.Combine(host, "sub", "keep"), "host");
            File.CreateSymbolicLink(Path.Combine(orphan, "upper", "home", "escape"), host);
            File.CreateSymbolicLink(Path.Combine(orphan, "upper", "escape-file"), Path.Combine(host, "sub", "keep"));

            var report = Collect(dryRun: false, CancellationToken.None, stagingCutoff: Later);

            Assert.Contains(new GcNode(GcKind.EnvFolder, "orphan"), report.Removed.Select(r => r.Node));
            Assert.False(Directory.Exists(orphan));
            Assert.Equal("host", File.ReadAllText(Path.Combine(host, "sub", "keep")));
        }
        finally
        {
            Directory.Delete(host, recursive: true);
        }
    }

    [Fact]
    public void Cancellation_stops_between_deletions_and_reports_what_is_left()
    {
        s.Layer("a");
        s.Layer("b");
        using var cancel = new CancellationTokenSource();
        var seen = 0;

        var report = Collect(dryRun: false, cancel.Token, r =>
        {
            if (++seen == 1)
            {
                cancel.Cancel();
            }
        }, Later);

        Assert.True(report.Interrupted);
        Assert.Single(report.Removed);
        Assert.Equal(3, report.NotReached);
        Assert.Empty(StoreVerifier.Verify(s.Store).Problems);
    }

    [Fact]
    public void Staging_scratch_of_a_dead_command_is_gone_once_gc_holds_the_lock()
    {
        // Only a command holding the store lock uses staging; once gc holds it, what is there is a crash's leftover.
        Directory.CreateDirectory(Path.Combine(s.Layout.StagingDir, "left-by-a-crash"));

        var report = Collect(dryRun: false, CancellationToken.None, stagingCutoff: DateTime.UtcNow.AddHours(-1));

        Assert.False(Directory.Exists(Path.Combine(s.Layout.StagingDir, "left-by-a-crash")));
        Assert.Empty(StoreVerifier.Verify(s.Store).Problems);
        Assert.Empty(report.Failed);
    }

    [Fact]
    public void Corrupt_metadata_stops_gc_before_anything_is_removed()
    {
        var layer = s.Layer("kept by a damaged env");
        s.Environment("damaged", EnvState.Built, "img", layer);
        var path = s.Layout.MetadataPath("damaged");
        File.WriteAllText(path, File.ReadAllText(path).Replace("mock", "mokk", StringComparison.Ordinal));

        var e = Assert.Throws<StoreException>(() => Collect(dryRun: false, CancellationToken.None, stagingCutoff: Later));

        Assert.Contains("gc stopped before removing anything", e.Message, StringComparison.Ordinal);
        Assert.Contains(layer, s.Store.Layers.List());
    }

    [Fact]
    public void A_leftover_wal_entry_is_recovered_before_gc_marks()
    {
        s.Layer("unreferenced");
        File.WriteAllText(Path.Combine(s.Layout.WalDir, "op.json"), "{}");

        var report = Collect(dryRun: false, CancellationToken.None, stagingCutoff: Later);

        Assert.Empty(Directory.GetFiles(s.Layout.WalDir));
        Assert.Empty(s.Store.Layers.List());
        Assert.Equal(1, report.Count(GcKind.Layer));
    }

    [SkippableFact]
    public void A_folder_that_cannot_be_deleted_is_reported_and_the_rest_goes_on()
    {
        // An immutable file stands in for one owned by a subordinate id: neither can be unlinked by us.
        var orphan = s.EnvFolder("orphan");
        var stuck = Path.Combine(orphan, "upper", "home", "notes");
        Skip.IfNot(Chattr("+i", stuck), "chattr +i is not possible here (needs root and a filesystem with attributes)");
        s.Layer("unreferenced");
        GcReport report;
        try
        {
            report = Collect(dryRun: false, CancellationToken.None, stagingCutoff: Later);
        }
        finally
        {
            foreach (var f in Directory.EnumerateFiles(s.Root, "notes", SearchOption.AllDirectories))
            {
                Chattr("-i", f);
            }
        }

        var failure = Assert.Single(report.Failed);
        Assert.Equal(GcKind.EnvFolder, failure.Node.Kind);
        Assert.StartsWith(s.Layout.StagingDir, failure.Path, StringComparison.Ordinal);
        Assert.Contains("unshare --user --map-auto --map-root-user rm -rf " + failure.Path, failure.Hint, StringComparison.Ordinal);
        Assert.Equal(2, report.Removed.Count);
        Assert.False(Directory.Exists(orphan));
        Assert.Empty(StoreVerifier.Verify(s.Store).Problems);
    }

    // As gc runs it: under the store lock (which recovers the write-ahead log first).
    private GcReport Collect(bool dryRun, CancellationToken cancel, Action<GcRemoval>? removed = null, DateTime? stagingCutoff = null)
    {
        using var storeLock = s.Store.LockForChange();
        return StoreCollector.Collect(s.Store, dryRun, stagingCutoff ?? Later, PathRemoval.Remove, cancel, removed);
    }

    private static bool Chattr(string flag, string path)
    {
        try
        {
            using var p = System.Diagnostics.Process.Start("chattr", [flag, path]);
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

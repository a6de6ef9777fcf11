namespace Scute.Store.Tests;

public class ScuteStoreTests
{
    [Fact]
    public void Create_makes_layout_and_version_file()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        foreach (var dir in new[] { store.Layout.ObjectsDir, store.Layout.LayersDir, store.Layout.MetadataDir, store.Layout.WalDir, store.Layout.AuditDir, store.Layout.StagingDir, store.Layout.EnvsDir, store.Layout.ImagesDir })
        {
            Assert.True(Directory.Exists(dir), dir);
        }

        Assert.Equal("{\"format_version\":1}", File.ReadAllText(store.Layout.VersionFile));
        Assert.Equal(tmp.Combine("store", "version"), store.Layout.VersionFile);
        Assert.Equal(tmp.Combine("env", "abc"), store.Layout.EnvDir("abc"));
        Assert.Equal(tmp.Combine("images", "k"), store.Layout.ImageDir("k"));
    }

    [Fact]
    public void Reopen_existing_store_without_create()
    {
        using var tmp = new TempDir();
        ScuteStore.OpenOrCreate(tmp.Path);
        var store = ScuteStore.Open(tmp.Path);
        Assert.Equal(tmp.Path, store.Layout.Root);
    }

    [Fact]
    public void Missing_store_without_create_is_a_store_error()
    {
        using var tmp = new TempDir();
        var ex = Assert.Throws<StoreException>(() => ScuteStore.Open(tmp.Combine("nothing")));
        Assert.Contains("no scute store", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_format_version_is_refused_naming_both()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        File.WriteAllText(store.Layout.VersionFile, "{\"format_version\":7}");
        var ex = Assert.Throws<StoreException>(() => ScuteStore.OpenOrCreate(tmp.Path));
        Assert.Contains("7", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Path_segments_cannot_escape()
    {
        var layout = new StoreLayout("/x");
        Assert.Throws<ArgumentException>(() => layout.EnvDir(".."));
        Assert.Throws<ArgumentException>(() => layout.EnvDir("a/b"));
        Assert.Throws<ArgumentException>(() => layout.ImageDir(""));
    }

    [Fact]
    public void Staging_dirs_are_fresh()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        var a = store.CreateStagingDir();
        var b = store.CreateStagingDir();
        Assert.NotEqual(a, b);
        Assert.True(Directory.Exists(a));
        Assert.StartsWith(store.Layout.StagingDir + "/", a, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_creates_nothing_and_a_change_makes_what_is_missing()
    {
        using var tmp = new TempDir();
        var created = ScuteStore.OpenOrCreate(tmp.Path);
        Directory.Delete(created.Layout.StagingDir);
        Directory.Delete(created.Layout.AuditDir);

        var store = ScuteStore.Open(tmp.Path);

        Assert.False(Directory.Exists(store.Layout.StagingDir));
        Assert.False(Directory.Exists(store.Layout.RunDir));
        using (store.LockShared())
        {
            Assert.False(Directory.Exists(store.Layout.StagingDir));
        }

        using (store.LockForChange())
        {
            Assert.True(Directory.Exists(store.Layout.StagingDir));
            Assert.True(Directory.Exists(store.Layout.AuditDir));
        }
    }

    [Fact]
    public void Recovery_is_needed_only_when_the_wal_or_staging_holds_something()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        Assert.False(store.Wal.NeedsRecovery());
        Assert.Equal(0, store.Wal.RecoverIfNeeded());

        Directory.CreateDirectory(Path.Combine(store.Layout.StagingDir, "left-by-a-crash"));
        Assert.True(store.Wal.NeedsRecovery());
        using (store.LockForChange())
        {
            Assert.False(store.Wal.NeedsRecovery());
        }

        File.WriteAllText(Path.Combine(store.Layout.WalDir, "0000000000001-1-x.json"), "{");
        Assert.True(store.Wal.NeedsRecovery());
    }
}

using System.Diagnostics;
using Scute.Engine.Lifecycle;
using Scute.Store.Overlay;
using static Scute.Engine.Tests.Lifecycle.OperationFixture;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Operations;

/// <summary>diff: what the upper dir adds, modifies and removes against the busybox base, read only.</summary>
public sealed class DiffOperationTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    [SkippableFact]
    public void A_fresh_environment_has_no_changes()
    {
        BuildWeb(project);

        Assert.Empty(DiffOperation.Run(project.Context, "web"));
    }

    [SkippableFact]
    public void New_and_copied_up_files_are_added_and_modified()
    {
        var (built, store) = BuildWeb(project);
        var upper = Upper(store, built.EnvId);
        Directory.CreateDirectory(Path.Combine(upper, "etc"));
        File.WriteAllText(Path.Combine(upper, "etc", "hostname"), "changed\n");
        File.WriteAllText(Path.Combine(upper, "etc", "new.conf"), "x");
        var metadata = MetadataBytes(store, built.EnvId);

        var changes = DiffOperation.Run(project.Context, "web");

        Assert.Equal(
            [new PathChange("/etc/hostname", ChangeKind.Modified), new PathChange("/etc/new.conf", ChangeKind.Added)],
            changes.OrderBy(c => c.Path, StringComparer.Ordinal));
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
        Assert.Equal(["etc", "etc/hostname=changed\n", "etc/new.conf=x"], Tree(upper));
    }

    [SkippableFact]
    public void A_whiteout_removes_the_base_file()
    {
        Skip.IfNot(Environment.UserName == "root", "needs root to make an overlay whiteout (mknod c 0 0)");
        var (built, store) = BuildWeb(project);
        var etc = Path.Combine(Upper(store, built.EnvId), "etc");
        Directory.CreateDirectory(etc);
        using (var p = Process.Start("mknod", ["-m", "000", Path.Combine(etc, "os-release"), "c", "0", "0"]))
        {
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }

        Assert.Equal([new PathChange("/etc/os-release", ChangeKind.Removed)], DiffOperation.Run(project.Context, "web"));
    }

    [SkippableFact]
    public void An_environment_without_an_upper_dir_has_no_changes()
    {
        var (built, store) = BuildWeb(project);
        Directory.Delete(Upper(store, built.EnvId), recursive: true);

        Assert.Empty(DiffOperation.Run(project.Context, "web"));
        Assert.False(Directory.Exists(Upper(store, built.EnvId)));
    }

    [SkippableFact]
    public void Diff_of_an_unknown_environment_is_refused_naming_it()
    {
        BuildWeb(project);

        var e = Assert.Throws<EngineException>(() => DiffOperation.Run(project.Context, "nope"));

        Assert.Equal(NoEnvironment(project, "nope"), e.Message);
    }
}

using Scute.Runtime.Oci;

namespace Scute.Runtime.Tests.Oci;

public sealed class OciRuntimeDetectorTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private string Folder(string name, params (string Runtime, int Exit)[] runtimes)
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, name)).FullName;
        foreach (var (runtime, exit) in runtimes)
        {
            var path = Path.Combine(folder, runtime);
            File.WriteAllText(path, $"#!/bin/sh\necho \"{runtime} version 9.{exit}\"\nexit {exit}\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return folder;
    }

    [Fact]
    public void Crun_comes_first_on_a_cgroup_v2_host()
    {
        var a = Folder("a", ("runc", 0));
        var b = Folder("b", ("crun", 0));

        var choice = OciRuntimeDetector.Detect([a, b], hybridCgroups: false);

        Assert.Equal("crun", choice.Name);
        Assert.Equal(Path.Combine(b, "crun"), choice.Path);
        Assert.Equal("crun version 9.0", choice.Version);
    }

    [Fact]
    public void Crun_is_passed_over_on_a_hybrid_host_and_says_why()
    {
        var a = Folder("a", ("crun", 0), ("runc", 0));

        var choice = OciRuntimeDetector.Detect([a], hybridCgroups: true);

        Assert.Equal("runc", choice.Name);
        Assert.Contains(choice.Skipped, s => s.Contains("crun", StringComparison.Ordinal) && s.Contains("hybrid", StringComparison.Ordinal));
        Assert.Contains("hybrid", choice.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_runtime_that_does_not_run_is_skipped_for_the_next()
    {
        var a = Folder("a", ("runc", 3), ("youki", 0));

        var choice = OciRuntimeDetector.Detect([a], hybridCgroups: true);

        Assert.Equal("youki", choice.Name);
        Assert.Contains(choice.Skipped, s => s.StartsWith("runc", StringComparison.Ordinal));
    }

    [Fact]
    public void No_runtime_is_one_clear_error()
    {
        var e = Assert.Throws<ContainerSetupException>(() => OciRuntimeDetector.Detect([Folder("empty")], hybridCgroups: false));

        Assert.Contains("install runc", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sbin_folders_are_searched_even_when_path_lacks_them()
    {
        var folders = OciRuntimeDetector.SearchFolders("/home/u/bin:relative:/usr/bin");

        Assert.Equal("/home/u/bin", folders[0]);
        Assert.Contains("/usr/sbin", folders);
        Assert.DoesNotContain("relative", folders);
    }

    [Fact]
    public void Hybrid_means_v1_controllers_beside_a_unified_v2_mount()
    {
        var hybrid = Directory.CreateDirectory(Path.Combine(dir.Path, "hybrid", "unified")).Parent!.FullName;
        File.WriteAllText(Path.Combine(hybrid, "unified", "cgroup.controllers"), "");
        var v2 = Directory.CreateDirectory(Path.Combine(dir.Path, "v2")).FullName;
        File.WriteAllText(Path.Combine(v2, "cgroup.controllers"), "cpu memory");

        Assert.True(OciRuntimeDetector.HybridCgroups(hybrid));
        Assert.False(OciRuntimeDetector.HybridCgroups(v2));
    }
}

using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>Hostile layers in an image, end to end through the CLI: refused, and nothing lands outside.</summary>
[Trait("Category", "Integration")]
public sealed class HostileImageLayerTests
{
    [SkippableFact]
    public void A_file_written_through_a_symlink_of_a_lower_layer_is_refused_and_nothing_escapes()
    {
        Skip.IfNot(File.Exists(TestOciImages.Busybox), "needs /bin/busybox (busybox-static)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var outside = Path.Combine(s.Root, "outside");
        var dir = Path.Combine(s.Root, "hostile");
        TestOciImages.WriteLayout(dir, "1.0", _ =>
        [
            TestOciImages.Layer(w => w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.SymbolicLink, "escape") { LinkName = outside })),
            TestOciImages.Layer(w => w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "escape/planted")
            {
                Mode = (UnixFileMode)0b110_100_100,
                DataStream = new MemoryStream("pwned"u8.ToArray()),
            })),
        ], TestOciImages.HostArchitecture);
        Assert.Equal(0, s.User.RunAs(["mkdir", "-p", outside]).ExitCode);
        if (TestUser.RunningAsRoot)
        {
            Assert.Equal(0, TestUser.Run("chown", ["-R", $"{s.User.Name}:{s.User.Name}", dir]).ExitCode);
        }

        var r = s.Scute("build", s.Write("scute.toml", Manifests.WithImage($"oci:{dir}:1.0")));

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("symlink", r.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(s.Store, "images")));
    }
}

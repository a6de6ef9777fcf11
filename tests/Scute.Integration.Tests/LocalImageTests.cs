using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>Rootfs tarballs (tar, gz, xz, zst) by path and file:// URL, and folders, as base images.</summary>
[Trait("Category", "Integration")]
public sealed class LocalImageTests
{
    public static TheoryData<string, string> Archives => new()
    {
        { "rootfs.tar", "" },
        { "rootfs.tar.gz", "--gzip" },
        { "rootfs.tar.xz", "--xz" },
        { "rootfs.tar.zst", "--zstd" },
    };

    private static string MakeRootfs(ScuteSession s)
    {
        var rootfs = Path.Combine(s.Project, "rootfs");
        var r = s.User.RunAs(["sh", "-c", "mkdir -p rootfs/bin rootfs/etc && cp /bin/busybox rootfs/bin/busybox && ln -s busybox rootfs/bin/sh && ln -s busybox rootfs/bin/cat && echo tarball-image > rootfs/etc/motd"], s.Project);
        Assert.True(r.ExitCode == 0, r.ToString());
        return rootfs;
    }

    [SkippableTheory]
    [MemberData(nameof(Archives))]
    public void Tarball_by_path_builds_and_runs(string file, string compression)
    {
        Skip.IfNot(File.Exists("/bin/busybox"), "needs /bin/busybox (busybox-static)");
        var s = new ScuteSession(TestUser.WithSubIds);
        MakeRootfs(s);
        var args = new List<string> { "tar", "-C", "rootfs", "-cf", file };
        if (compression.Length > 0)
        {
            args.Insert(1, compression);
        }

        args.Add(".");
        var tar = s.User.RunAs(args, s.Project);
        Skip.If(tar.ExitCode != 0 && compression.Length > 0, $"GNU tar cannot write {compression} here: {tar.Stderr.Trim()}");
        Assert.True(tar.ExitCode == 0, tar.ToString());

        var env = s.Build(Manifests.WithImage("./" + file));
        var r = s.Scute("exec", env, "--", "cat", "/etc/motd");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("tarball-image", r.Stdout.Trim());
    }

    [SkippableFact]
    public void File_url_and_folder_give_the_same_content_digest()
    {
        Skip.IfNot(File.Exists("/bin/busybox"), "needs /bin/busybox (busybox-static)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var rootfs = MakeRootfs(s);
        Assert.Equal(0, s.User.RunAs(["tar", "-C", "rootfs", "-czf", "img.tar.gz", "."], s.Project).ExitCode);

        var fromUrl = s.Scute("--json", "build", s.Write("a.toml", Manifests.WithImage("file://" + Path.Combine(s.Project, "img.tar.gz"))));
        var fromFolder = s.Scute("--json", "build", s.Write("b.toml", Manifests.WithImage(rootfs)));

        Assert.True(fromUrl.ExitCode == 0, fromUrl.ToString());
        Assert.True(fromFolder.ExitCode == 0, fromFolder.ToString());
        var a = System.Text.Json.Nodes.JsonNode.Parse(fromUrl.Stdout)!;
        var b = System.Text.Json.Nodes.JsonNode.Parse(fromFolder.Stdout)!;
        Assert.Equal(a["base_digest"]!.GetValue<string>(), b["base_digest"]!.GetValue<string>());
        Assert.Equal(a["env_id"]!.GetValue<string>(), b["env_id"]!.GetValue<string>());
    }

    [SkippableFact]
    public void Sorted_and_unsorted_tarballs_and_the_folder_of_one_tree_give_one_base_layer()
    {
        Skip.IfNot(File.Exists("/bin/busybox"), "needs /bin/busybox (busybox-static)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var rootfs = MakeRootfs(s);
        // --sort=name lists this tree in walk order (no name sorts between "bin" and "bin/"): its
        // layer tar is made while extracting. etc before bin is not: the rootfs is packed again.
        var tars = s.User.RunAs(["sh", "-c", "tar --sort=name -C rootfs -cf sorted.tar . && tar -C rootfs -cf unsorted.tar ./etc ./bin"], s.Project);
        Assert.True(tars.ExitCode == 0, tars.ToString());

        foreach (var (file, image) in new[] { ("sorted.toml", "./sorted.tar"), ("unsorted.toml", "./unsorted.tar"), ("folder.toml", rootfs) })
        {
            var r = s.Scute("--json", "build", s.Write(file, Manifests.WithImage(image)));
            Assert.True(r.ExitCode == 0, r.ToString());
        }

        var images = Path.Combine(s.Store, "images");
        string BaseLayerOf(string key) => File.ReadAllText(Path.Combine(images, key, "base-layer")).Trim();
        var sorted = BaseLayerOf("tar-" + Sha256Of(Path.Combine(s.Project, "sorted.tar")));
        var unsorted = BaseLayerOf("tar-" + Sha256Of(Path.Combine(s.Project, "unsorted.tar")));
        var folder = Directory.GetDirectories(images, "folder-*").Select(d => BaseLayerOf(Path.GetFileName(d))).Single();
        Assert.Equal(folder, sorted);
        Assert.Equal(folder, unsorted);
    }

    private static string Sha256Of(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
    }

    [SkippableFact]
    public void Hostile_tarball_is_refused_and_nothing_escapes()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var victim = Path.Combine(s.Root, "escaped");
        var r0 = s.User.RunAs(["sh", "-c", "mkdir -p evil && echo x > evil/f && tar -cf evil.tar -C evil f --transform 's,^f,../../escaped,'"], s.Project);
        Assert.True(r0.ExitCode == 0, r0.ToString());

        var r = s.Scute("build", s.Write("evil.toml", Manifests.WithImage("./evil.tar")));

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("..", r.Stderr);
        Assert.False(File.Exists(victim));
    }
}

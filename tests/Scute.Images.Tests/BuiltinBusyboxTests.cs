using Scute.Manifest;
using Scute.Images.Providers;
using Scute.Store;

namespace Scute.Images.Tests;

public sealed class BuiltinBusyboxTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    private ImageCache NewCache(string name = "store") => new(ScuteStore.OpenOrCreate(temp.Combine(name)));

    [SkippableFact]
    public void Busybox_rootfs_has_the_binary_applet_links_and_accounts()
    {
        Skip.IfNot(File.Exists(BuiltinBusybox.DefaultBinary), "no static busybox at /bin/busybox (package busybox-static)");

        var image = BuiltinBusybox.Resolve(NewCache());

        var rootfs = image.RootfsPath;
        var binary = new FileInfo(Path.Combine(rootfs, "bin/busybox"));
        Assert.True(binary.Exists);
        Assert.Null(binary.LinkTarget);
        Assert.Equal(new FileInfo(BuiltinBusybox.DefaultBinary).Length, binary.Length);
        Assert.Equal("/bin/busybox", new FileInfo(Path.Combine(rootfs, "bin/sh")).LinkTarget);
        Assert.Equal("/bin/busybox", new FileInfo(Path.Combine(rootfs, "bin/ls")).LinkTarget);
        // Like Alpine's: system accounts only; each run adds its user's entry (AccountPlan).
        Assert.StartsWith("root:x:0:0:", File.ReadAllText(Path.Combine(rootfs, "etc/passwd")), StringComparison.Ordinal);
        Assert.DoesNotContain(":1001:", File.ReadAllText(Path.Combine(rootfs, "etc/passwd")), StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(rootfs, "home")));
        Assert.True(Directory.Exists(Path.Combine(rootfs, "workspace")));
        Assert.StartsWith("builtin-busybox-", image.Key, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Busybox_through_the_resolver_is_reproducible_and_cached()
    {
        Skip.IfNot(File.Exists(BuiltinBusybox.DefaultBinary), "no static busybox at /bin/busybox (package busybox-static)");
        var store = ScuteStore.OpenOrCreate(temp.Combine("a"));
        var reference = ImageReference.Parse("builtin:busybox", "/");

        var first = new ImageResolver(store).Resolve(reference);
        var again = new ImageResolver(store).Resolve(reference);
        var elsewhere = new ImageResolver(ScuteStore.OpenOrCreate(temp.Combine("b"))).Resolve(reference);

        Assert.Equal(first, again);
        Assert.Equal(first.ContentDigest, elsewhere.ContentDigest);
        Assert.Equal(first.Key, elsewhere.Key);
    }

    [SkippableFact]
    public void Dynamically_linked_binary_is_refused_naming_busybox_static()
    {
        const string dynamic = "/bin/ls";
        Skip.IfNot(File.Exists(dynamic) && IsDynamic(dynamic), "/bin/ls is missing or not dynamically linked");

        var e = Assert.Throws<ImageException>(() => BuiltinBusybox.Resolve(NewCache(), dynamic));

        Assert.Contains("busybox-static", e.Message, StringComparison.Ordinal);
        Assert.Contains(dynamic, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_binary_is_refused_naming_busybox_static()
    {
        var missing = temp.Combine("no-busybox");

        var e = Assert.Throws<ImageException>(() => BuiltinBusybox.Resolve(NewCache(), missing));

        Assert.Contains("busybox-static", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_elf_file_is_refused()
    {
        var script = temp.Combine("busybox");
        File.WriteAllText(script, "#!/bin/sh\necho not elf\n");

        Assert.Throws<ImageException>(() => BuiltinBusybox.Resolve(NewCache(), script));
    }

    /// <summary>True when the ELF file has a PT_INTERP program header (read here independently of the product).</summary>
    private static bool IsDynamic(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7F || bytes[4] != 2)
        {
            return false;
        }

        var phoff = BitConverter.ToInt64(bytes, 0x20);
        var phentsize = BitConverter.ToUInt16(bytes, 0x36);
        var phnum = BitConverter.ToUInt16(bytes, 0x38);
        for (var i = 0; i < phnum; i++)
        {
            if (BitConverter.ToUInt32(bytes, (int)(phoff + (i * phentsize))) == 3)
            {
                return true;
            }
        }

        return false;
    }
}

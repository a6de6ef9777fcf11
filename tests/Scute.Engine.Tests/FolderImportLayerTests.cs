using Scute.Store;
using Scute.Store.Tar;

namespace Scute.Engine.Tests;

/// <summary>
/// Importing a folder image in one pass (pack and hash into the store, unpack from that copy with
/// the tree digest computed on the way, reuse the tar as the base layer) must give the very layer
/// the old path gave: pack, hash, unpack, walk the rootfs for its digest, pack the rootfs again.
/// </summary>
public sealed class FolderImportLayerTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void One_pass_import_gives_the_layer_digest_of_pack_extract_walk_and_repack(bool setuid)
    {
        var folder = MakeTree(Path.Combine(project.Root, "rootfs"), setuid);
        var manifest = project.WriteManifest("app", TestProject.MockRuntime);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("builtin:busybox", folder, StringComparison.Ordinal));

        var result = project.Build(manifest);

        var store = ScuteStore.Open(project.Store);
        var layer = Assert.Single(store.Metadata.Get(result.EnvId).Layers);
        Assert.Equal(OldPathLayer(folder), layer);
        var description = store.Layers.Get(layer);
        store.Objects.Verify(description.TarDigest);
        Assert.Equal(result.BaseDigest.ToString(), description.Note);
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.StagingDir));
    }

    /// <summary>The base layer digest as the packer, the extractor and the tree walk made it before the one-pass import.</summary>
    private Digest OldPathLayer(string folder)
    {
        var rootfs = Path.Combine(project.Root, "old-rootfs");
        using (var tar = new MemoryStream())
        {
            DeterministicTarPacker.Pack(folder, tar);
            tar.Position = 0;
            SafeTarExtractor.Extract(tar, rootfs);
        }

        using var repacked = new MemoryStream();
        DeterministicTarPacker.Pack(rootfs, repacked);
        var description = new LayerDescription
        {
            Kind = LayerKind.Base,
            TarDigest = Digest.Compute(repacked.ToArray()),
            Note = TreeDigest.Compute(rootfs).ToString(),
        };
        return Digest.Compute(LayerStore.CanonicalBytes(description));
    }

    private static string MakeTree(string root, bool setuid)
    {
        Directory.CreateDirectory(Path.Combine(root, "etc", "deep", "er"));
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
        Directory.CreateDirectory(Path.Combine(root, "etc-d"));
        File.WriteAllText(Path.Combine(root, "etc", "os-release"), "ID=test\n");
        File.WriteAllText(Path.Combine(root, "etc", "deep", "er", "file"), new string('x', 70_000));
        File.WriteAllText(Path.Combine(root, "etc-d", "sorts-before-etc-slash"), "");
        File.WriteAllText(Path.Combine(root, "bin", new string('n', 150)), "a name longer than a tar header holds");
        File.WriteAllText(Path.Combine(root, "bin", "tool"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(root, "bin", "tool"), (UnixFileMode)(setuid ? 0b100_111_101_101 : 0b111_101_101));
        File.CreateSymbolicLink(Path.Combine(root, "bin", "link"), "tool");
        File.CreateSymbolicLink(Path.Combine(root, "etc", "dangling"), "/nowhere/at/all");
        File.SetUnixFileMode(Path.Combine(root, "tmp"), (UnixFileMode)0b1_111_111_111);
        File.SetUnixFileMode(Path.Combine(root, "etc", "deep"), (UnixFileMode)0b101_101_101);
        return root;
    }
}

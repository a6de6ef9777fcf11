using Scute.Images;
using Scute.Store;
using Scute.Store.Tar;

namespace Scute.Engine;

/// <summary>
/// The Base layer of an image: its rootfs packed by the deterministic packer into the object
/// store, once per image (or the tar a folder image was imported from, or that a tarball's
/// unpacking made, when it is that same tar); the layer's digest is remembered beside the unpacked rootfs.
/// </summary>
internal static class BaseLayer
{
    public static Digest Ensure(ScuteStore store, ResolvedImage image)
    {
        var marker = store.Layout.ImageBaseLayerFile(image.Key);
        if (File.Exists(marker) && Digest.TryParse(File.ReadAllText(marker).Trim(), out var known) && store.Layers.List().Contains(known))
        {
            return known;
        }

        Digest tarDigest;
        if (image.RootfsTar is { } packed && store.Objects.Contains(packed))
        {
            tarDigest = packed;
        }
        else
        {
            using var staged = store.Objects.Stage(output => DeterministicTarPacker.Pack(image.RootfsPath, output));
            tarDigest = staged.Commit();
        }

        var layer = store.Layers.Put(new LayerDescription { Kind = LayerKind.Base, TarDigest = tarDigest, Note = image.ContentDigest.ToString() });
        AtomicFile.WriteAllText(marker, layer.ToString());
        return layer;
    }
}

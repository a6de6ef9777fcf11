using Scute.Store;
using Scute.Store.Tar;

namespace Scute.Engine.Export;

/// <summary>
/// Writes an <see cref="EnvironmentImage"/> as an OCI image layout: a folder (oci:) or a tar of
/// that folder (oci-archive:). The archive is a fixed-header ustar whose entries are in one
/// order (oci-layout, index.json, blobs/sha256/ sorted by digest): same image, same bytes.
/// Blobs stream from the store through the converter straight into place.
/// </summary>
internal static class OciLayoutWriter
{
    private const string BlobsDir = "blobs/sha256/";

    public static void WriteDirectory(EnvironmentImage image, string dir)
    {
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
        {
            throw new EngineException($"{dir} exists and is not empty; give a new or empty folder");
        }

        var blobs = Path.Combine(dir, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        foreach (var (blob, write) in Blobs(image))
        {
            var final = Path.Combine(blobs, blob.Digest.Hex);
            var temp = final + ".partial";
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(file);
            }

            File.Move(temp, final, overwrite: true);
        }

        // index.json last: a layout whose export was cut short names no image.
        AtomicFile.WriteAllBytes(Path.Combine(dir, "oci-layout"), OciImageDocuments.Layout());
        AtomicFile.WriteAllBytes(Path.Combine(dir, "index.json"), image.Index);
    }

    public static void WriteArchive(EnvironmentImage image, string file)
    {
        var full = Path.GetFullPath(file);
        var temp = Path.Combine(Path.GetDirectoryName(full) ?? "/", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.partial");
        try
        {
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                WriteArchive(image, output);
                output.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public static void WriteArchive(EnvironmentImage image, Stream output)
    {
        var layout = OciImageDocuments.Layout();
        WriteSmall(output, "oci-layout", layout);
        WriteSmall(output, "index.json", image.Index);
        UstarHeader.WriteDirectory(output, "blobs/");
        UstarHeader.WriteDirectory(output, BlobsDir);
        foreach (var (blob, write) in Blobs(image))
        {
            UstarHeader.WriteFileHeader(output, BlobsDir + blob.Digest.Hex, blob.Size);
            write(output);
            UstarHeader.Pad(output, blob.Size);
        }

        UstarHeader.WriteEnd(output);
    }

    /// <summary>Each distinct blob once, by digest.</summary>
    private static IEnumerable<(OciBlob Blob, Action<Stream> Write)> Blobs(EnvironmentImage image)
    {
        var all = new SortedDictionary<Digest, (OciBlob, Action<Stream>)>
        {
            [image.ConfigBlob.Digest] = (image.ConfigBlob, s => s.Write(image.Config)),
            [image.ManifestBlob.Digest] = (image.ManifestBlob, s => s.Write(image.Manifest)),
        };
        foreach (var layer in image.Layers)
        {
            all.TryAdd(layer.Blob.Digest, (layer.Blob, layer.WriteTo));
        }

        return all.Values;
    }

    private static void WriteSmall(Stream output, string name, byte[] content)
    {
        UstarHeader.WriteFileHeader(output, name, content.Length);
        output.Write(content);
        UstarHeader.Pad(output, content.Length);
    }
}

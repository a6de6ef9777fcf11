using System.Formats.Tar;
using Scute.Store.Tar;

namespace Scute.Store.Tests.Tar;

internal static class TarTestHelpers
{
    public static byte[] Pack(string dir)
    {
        using var output = new MemoryStream();
        DeterministicTarPacker.Pack(dir, output);
        return output.ToArray();
    }

    public static MemoryStream Build(params TarEntry[] entries)
    {
        var output = new MemoryStream();
        using (var writer = new TarWriter(output, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        output.Position = 0;
        return output;
    }

    public static PaxTarEntry File(string name, string content = "x", UnixFileMode mode = (UnixFileMode)0b110_100_100) => new(TarEntryType.RegularFile, name)
    {
        DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
        Mode = mode,
    };

    public static PaxTarEntry Link(TarEntryType type, string name, string target) => new(type, name) { LinkName = target };

    public static PaxTarEntry Dir(string name, UnixFileMode mode = (UnixFileMode)0b111_101_101) => new(TarEntryType.Directory, name) { Mode = mode };

    /// <summary>Makes <paramref name="relative"/> (no trailing '/') an opaque folder of an upper dir, the way restore does: by extracting a tar with the OCI marker.</summary>
    public static void MakeOpaque(string upper, string relative)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Gnu, leaveOpen: true))
        {
            writer.WriteEntry(new GnuTarEntry(TarEntryType.Directory, relative + "/") { Mode = (UnixFileMode)0b111_101_101 });
            writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, relative + "/" + Scute.Store.Overlay.OverlayMarks.OpaqueMarker));
        }

        tar.Position = 0;
        SafeTarExtractor.Extract(tar, upper, new ExtractOptions { OverlayWhiteouts = true });
    }

    /// <summary>Every path under <paramref name="root"/>, for "nothing changed outside" checks.</summary>
    public static string[] Snapshot(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Order(StringComparer.Ordinal)
            .ToArray();
}

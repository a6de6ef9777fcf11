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

    /// <summary>Every path under <paramref name="root"/>, for "nothing changed outside" checks.</summary>
    public static string[] Snapshot(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Order(StringComparer.Ordinal)
            .ToArray();
}

/// <summary>A stream that hides its length and position, like a pipe or an HTTP body.</summary>
internal sealed class NonSeekableStream(Stream inner) : ReadOnlyForwardStream
{
    public override int Read(Span<byte> buffer) => inner.Read(buffer);
}

using System.Text;

namespace Scute.Core;

/// <summary>
/// Crash-safe replacement of a whole file: readers see either the old or the new
/// content, never a partial write. Temp file in the same folder (so rename is
/// atomic), fsync, rename, fsync the folder (so the rename itself is durable).
/// </summary>
public static class AtomicFile
{
    /// <param name="tempFolder">
    /// Where the temp file is made instead of beside the target: a folder on the same filesystem
    /// whose leftovers someone cleans (the store's staging, emptied by its recovery), so a write
    /// killed before its rename leaves nothing in the target's folder.
    /// </param>
    public static void Write(string path, Action<Stream> write, string? tempFolder = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no folder", nameof(path));
        var temp = Path.Combine(tempFolder ?? dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        DurableFile.SyncFolder(dir);
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, string? tempFolder = null)
    {
        // Spans cannot be captured by the lambda; one copy of small payloads is fine.
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy), tempFolder);
    }

    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
    }
}

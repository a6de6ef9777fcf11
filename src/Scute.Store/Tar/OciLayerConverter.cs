using System.Formats.Tar;

namespace Scute.Store.Tar;

/// <summary>
/// Turns a Scute layer tar into an OCI image layer (image-spec layer.md): an overlayfs whiteout
/// (a 0/0 character device) becomes an empty ".wh.&lt;name&gt;" file; the opaque-folder marker
/// is already OCI's ".wh..wh..opq"; every other entry is copied as it is. Entry order and
/// metadata are kept, so the same input gives the same bytes. Streams: one entry's data at a time.
/// </summary>
public static class OciLayerConverter
{
    public static void Convert(Stream scuteLayer, Stream output)
    {
        ArgumentNullException.ThrowIfNull(scuteLayer);
        ArgumentNullException.ThrowIfNull(output);
        using var reader = new TarReader(scuteLayer, leaveOpen: true);
        using var writer = new TarWriter(output, TarEntryFormat.Gnu, leaveOpen: true);
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            if (entry.EntryType == TarEntryType.CharacterDevice && entry is PosixTarEntry { DeviceMajor: 0, DeviceMinor: 0 })
            {
                writer.WriteEntry(Whiteout(entry.Name));
                continue;
            }

            var copy = Copy(entry);
            if (entry.DataStream is { } data)
            {
                // TarWriter asks a data stream for its length; the reader's own one cannot tell it.
                copy.DataStream = new KnownLengthReadStream(data, entry.Length);
            }

            writer.WriteEntry(copy);
        }
    }

    /// <summary>The OCI marker that removes <paramref name="path"/> from the layers below.</summary>
    public static string WhiteoutName(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? OciWhiteouts.Prefix + trimmed : trimmed[..(slash + 1)] + OciWhiteouts.Prefix + trimmed[(slash + 1)..];
    }

    /// <summary>
    /// A new entry with the same header. Not the copy constructor: it shares the data stream,
    /// and replacing that disposes the reader's own.
    /// </summary>
    private static GnuTarEntry Copy(TarEntry e)
    {
        var copy = new GnuTarEntry(e.EntryType, e.Name)
        {
            Mode = e.Mode,
            Uid = e.Uid,
            Gid = e.Gid,
            ModificationTime = e.ModificationTime,
            UserName = "",
            GroupName = "",
            AccessTime = DateTimeOffset.UnixEpoch,
            ChangeTime = DateTimeOffset.UnixEpoch,
        };
        if (e is PosixTarEntry posix)
        {
            copy.UserName = posix.UserName;
            copy.GroupName = posix.GroupName;
            if (e.EntryType is TarEntryType.CharacterDevice or TarEntryType.BlockDevice)
            {
                copy.DeviceMajor = posix.DeviceMajor;
                copy.DeviceMinor = posix.DeviceMinor;
            }
        }

        if (e is GnuTarEntry gnu)
        {
            copy.AccessTime = gnu.AccessTime;
            copy.ChangeTime = gnu.ChangeTime;
        }

        if (e.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
        {
            copy.LinkName = e.LinkName;
        }

        return copy;
    }

    private static GnuTarEntry Whiteout(string path) => DeterministicTarPacker.Entry(TarEntryType.RegularFile, WhiteoutName(path), 0);
}
